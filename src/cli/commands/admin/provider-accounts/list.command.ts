import { defineCommand, OUTPUT_FLAG } from '../../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from '../admin-store.js';
import { accountWire } from './wire.js';

const TEMPLATE =
  'NAME\tKIND\tSTATE\tACCESS KEY\tROLE\tPROVIDER\tSUBSCRIPTION\tPROJECT{{range valueOrEmptySlice .Results}}\n{{.Name}}\t{{.Kind}}\t{{.State}}\t{{.AccessKeyId}}\t{{.RoleArn}}\t{{.ProviderName}}\t{{.SubscriptionId}}\t{{.ProjectId}}{{end}}\n';

/** `privlink admin provider-accounts list`: the pool, oldest first (secrets never shown). */
export const providerAccountListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'List the accounts of the provider account pool.',
  flags: [DATA_DIR_FLAG, OUTPUT_FLAG],
  examples: ['privlink admin provider-accounts list', 'privlink admin provider-accounts list -o json'],
  async run(ctx) {
    ctx.outputFormat();
    const { listProviderAccounts } = await import('../../../../app/provider-accounts.service.js');
    const accounts = (await withAdminStore(ctx, (app) => listProviderAccounts(app))).map(accountWire);
    ctx.print({ results: accounts, totalCount: accounts.length }, TEMPLATE);
  },
});
