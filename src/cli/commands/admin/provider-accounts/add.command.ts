import { CliError } from '../../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG } from '../../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from '../admin-store.js';
import { accountWire } from './wire.js';

const TEMPLATE = 'Provider account {{.Name}} ({{.Kind}}) added to the pool: it takes placements now.\n';

/**
 * `privlink admin provider-accounts add <name>`: adds an AWS account to the provider account pool.
 * `--kind LOCAL_CLOUD` (default) asks the local cloud for an account on first use; `ACCESS_KEY`
 * takes `--access-key-id` and the secret from the environment variable named by
 * `--secret-access-key-env` (never on the command line); `ASSUME_ROLE` takes `--role-arn`.
 */
export const providerAccountAddCommand = defineCommand({
  name: 'add',
  summary: 'Add an AWS account to the provider account pool.',
  description:
    'Endpoint services are placed in pool accounts by remaining quota; all services of a project in a region share one account. ' +
    "LOCAL_CLOUD accounts are made by the local cloud on first use; ACCESS_KEY accounts are reached with their key; ASSUME_ROLE accounts through STS AssumeRole from the server's own credentials.",
  args: [{ name: 'name', description: 'Name of the account in the pool (letters, digits, ., _, -).' }],
  flags: [
    { syntax: '--kind <kind>', description: 'LOCAL_CLOUD, ACCESS_KEY or ASSUME_ROLE.', defaultValue: 'LOCAL_CLOUD' },
    { syntax: '--access-key-id <id>', description: 'Access key id of an ACCESS_KEY account.' },
    { syntax: '--secret-access-key-env <variable>', description: 'Environment variable holding the secret access key of an ACCESS_KEY account.' },
    { syntax: '--role-arn <arn>', description: 'Role to assume for an ASSUME_ROLE account (arn:aws:iam::<account>:role/<name>).' },
    DATA_DIR_FLAG,
    OUTPUT_FLAG,
  ],
  examples: [
    'privlink admin provider-accounts add pool-2',
    'AWS_POOL_3_SECRET=… privlink admin provider-accounts add pool-3 --kind ACCESS_KEY --access-key-id AKIA… --secret-access-key-env AWS_POOL_3_SECRET',
    'privlink admin provider-accounts add pool-4 --kind ASSUME_ROLE --role-arn arn:aws:iam::123456789012:role/privlink-provider',
  ],
  async run(ctx, args) {
    ctx.outputFormat();
    const { addProviderAccount, parseProviderAccountInput } = await import('../../../../app/provider-accounts.service.js');
    const { ApiError } = await import('../../../../domain/errors.js');
    const secretEnv = ctx.flag('secretAccessKeyEnv');
    const secret = typeof secretEnv === 'string' ? ctx.io.env[secretEnv] : undefined;
    if (typeof secretEnv === 'string' && !secret) throw new CliError(`The environment variable ${secretEnv} is not set.`);
    const added = await withAdminStore(ctx, async (app) => {
      try {
        const input = parseProviderAccountInput({
          name: args[0],
          kind: ctx.flag('kind'),
          ...(ctx.flag('accessKeyId') !== undefined ? { accessKeyId: ctx.flag('accessKeyId') } : {}),
          ...(secret !== undefined ? { secretAccessKey: secret } : {}),
          ...(ctx.flag('roleArn') !== undefined ? { roleArn: ctx.flag('roleArn') } : {}),
        });
        return await addProviderAccount(app, input);
      } catch (error) {
        if (error instanceof ApiError) throw new CliError(error.detail);
        throw error;
      }
    });
    ctx.print(accountWire(added), TEMPLATE);
  },
});
