import { CliError } from '../../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG } from '../../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from '../admin-store.js';
import { accountWire } from './wire.js';

const TEMPLATE = 'Provider account {{.Name}} is draining: it takes no new project region; what it holds stays.\n';

/** `privlink admin provider-accounts drain <name>`: the account takes no new project region. */
export const providerAccountDrainCommand = defineCommand({
  name: 'drain',
  summary: 'Stop placing new project regions in a provider account.',
  description: 'Services already in the account stay, and new services of a project region already placed there still join it (a project region is never split across accounts).',
  args: [{ name: 'name', description: 'Name of the account in the pool.' }],
  flags: [DATA_DIR_FLAG, OUTPUT_FLAG],
  examples: ['privlink admin provider-accounts drain pool-1'],
  async run(ctx, args) {
    ctx.outputFormat();
    const { drainProviderAccount } = await import('../../../../app/provider-accounts.service.js');
    const { ApiError } = await import('../../../../domain/errors.js');
    const drained = await withAdminStore(ctx, async (app) => {
      try {
        return await drainProviderAccount(app, args[0]!);
      } catch (error) {
        if (error instanceof ApiError) throw new CliError(error.detail);
        throw error;
      }
    });
    ctx.print(accountWire(drained), TEMPLATE);
  },
});
