import { CliError } from '../../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG } from '../../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from '../admin-store.js';
import { accountWire } from './wire.js';

const TEMPLATE = 'Provider account {{.Name}} ({{.Kind}}) added to the pool: it takes placements now.\n';

/**
 * `privlink admin provider-accounts add <name>`: adds an AWS account, an Azure subscription or a
 * GCP project to the provider account pool (`--provider`, AWS by default). `--kind LOCAL_CLOUD`
 * (default) asks the local cloud for one on first use. AWS: `ACCESS_KEY` takes `--access-key-id`
 * and the secret from the environment variable named by `--secret-access-key-env` (never on the
 * command line); `ASSUME_ROLE` takes `--role-arn`. Azure: `SERVICE_PRINCIPAL` takes
 * `--subscription-id`, `--tenant-id`, `--client-id` and the secret from the variable named by
 * `--client-secret-env`. GCP: `SERVICE_ACCOUNT_KEY` takes the JSON key file
 * (`--service-account-key-file`) and optionally `--project-id` (the key's project by default).
 */
export const providerAccountAddCommand = defineCommand({
  name: 'add',
  summary: 'Add an AWS account, Azure subscription or GCP project to the provider account pool.',
  description:
    'Endpoint services are placed in pool accounts of their cloud by remaining quota; all services of a project in a region share one account. ' +
    'LOCAL_CLOUD accounts are made by the local cloud on first use. AWS: ACCESS_KEY accounts are reached with their key, ASSUME_ROLE accounts through STS AssumeRole ' +
    "from the server's own credentials. Azure: SERVICE_PRINCIPAL subscriptions with a service principal's client secret. GCP: SERVICE_ACCOUNT_KEY projects with a service account's JSON key.",
  args: [{ name: 'name', description: 'Name of the account in the pool (letters, digits, ., _, -; unique across providers).' }],
  flags: [
    { syntax: '--provider <provider>', description: 'AWS, AZURE or GCP.', defaultValue: 'AWS' },
    { syntax: '--kind <kind>', description: 'LOCAL_CLOUD; AWS: ACCESS_KEY or ASSUME_ROLE; AZURE: SERVICE_PRINCIPAL; GCP: SERVICE_ACCOUNT_KEY.', defaultValue: 'LOCAL_CLOUD' },
    { syntax: '--access-key-id <id>', description: 'Access key id of an ACCESS_KEY account.' },
    { syntax: '--secret-access-key-env <variable>', description: 'Environment variable holding the secret access key of an ACCESS_KEY account.' },
    { syntax: '--role-arn <arn>', description: 'Role to assume for an ASSUME_ROLE account (arn:aws:iam::<account>:role/<name>).' },
    { syntax: '--subscription-id <id>', description: 'Azure subscription of a SERVICE_PRINCIPAL account.' },
    { syntax: '--tenant-id <id>', description: 'Microsoft Entra tenant of the service principal.' },
    { syntax: '--client-id <id>', description: 'Application (client) id of the service principal.' },
    { syntax: '--client-secret-env <variable>', description: 'Environment variable holding the client secret of the service principal.' },
    { syntax: '--service-account-key-file <path>', description: 'JSON key file of the GCP service account of a SERVICE_ACCOUNT_KEY project.' },
    { syntax: '--project-id <id>', description: "GCP project of a SERVICE_ACCOUNT_KEY account (default: the key's project)." },
    DATA_DIR_FLAG,
    OUTPUT_FLAG,
  ],
  examples: [
    'privlink admin provider-accounts add pool-2',
    'AWS_POOL_3_SECRET=… privlink admin provider-accounts add pool-3 --kind ACCESS_KEY --access-key-id AKIA… --secret-access-key-env AWS_POOL_3_SECRET',
    'privlink admin provider-accounts add pool-4 --kind ASSUME_ROLE --role-arn arn:aws:iam::123456789012:role/privlink-provider',
    'privlink admin provider-accounts add azure-1 --provider AZURE',
    'AZURE_POOL_SECRET=… privlink admin provider-accounts add azure-2 --provider AZURE --kind SERVICE_PRINCIPAL --subscription-id <uuid> --tenant-id <uuid> --client-id <uuid> --client-secret-env AZURE_POOL_SECRET',
    'privlink admin provider-accounts add gcp-2 --provider GCP --kind SERVICE_ACCOUNT_KEY --service-account-key-file pool-project-key.json',
  ],
  async run(ctx, args) {
    ctx.outputFormat();
    const { addProviderAccount, parseProviderAccountInput } = await import('../../../../app/provider-accounts.service.js');
    const { ApiError } = await import('../../../../domain/errors.js');
    const fromEnv = (flag: string): string | undefined => {
      const variable = ctx.flag(flag);
      if (typeof variable !== 'string') return undefined;
      const value = ctx.io.env[variable];
      if (!value) throw new CliError(`The environment variable ${variable} is not set.`);
      return value;
    };
    const secret = fromEnv('secretAccessKeyEnv');
    const clientSecret = fromEnv('clientSecretEnv');
    const keyFile = ctx.flag('serviceAccountKeyFile');
    let serviceAccountKey: string | undefined;
    if (typeof keyFile === 'string') {
      const { readFile } = await import('node:fs/promises');
      serviceAccountKey = await readFile(keyFile, 'utf8').catch(() => {
        throw new CliError(`Cannot read the service account key file ${keyFile}.`);
      });
    }
    const given = (flag: string, field: string) => (ctx.flag(flag) !== undefined ? { [field]: ctx.flag(flag) } : {});
    const added = await withAdminStore(ctx, async (app) => {
      try {
        const input = parseProviderAccountInput({
          name: args[0],
          providerName: ctx.flag('provider'),
          kind: ctx.flag('kind'),
          ...given('accessKeyId', 'accessKeyId'),
          ...(secret !== undefined ? { secretAccessKey: secret } : {}),
          ...given('roleArn', 'roleArn'),
          ...given('subscriptionId', 'subscriptionId'),
          ...given('tenantId', 'tenantId'),
          ...given('clientId', 'clientId'),
          ...(clientSecret !== undefined ? { clientSecret } : {}),
          ...(serviceAccountKey !== undefined ? { serviceAccountKey } : {}),
          ...given('projectId', 'projectId'),
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
