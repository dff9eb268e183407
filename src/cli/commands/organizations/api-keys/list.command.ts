import { apiPath } from '../../../api/api-session.js';
import { defineCommand, ORG_ID_FLAG, OUTPUT_FLAG } from '../../../framework/command-spec.js';
import type { PaginatedWire } from '../../../../api/atlas/wire/common.wire.js';
import type { ApiKeyWire } from '../../../../api/atlas/wire/identity.wire.js';

/** `privlink organizations apiKeys list`: `GET /api/atlas/v2/orgs/{orgId}/apiKeys` (private keys masked by the server). */
const TEMPLATE = 'ID\tDESCRIPTION\tPUBLIC KEY\tPRIVATE KEY{{range valueOrEmptySlice .Results}}\n{{.Id}}\t{{.Desc}}\t{{.PublicKey}}\t{{.PrivateKey}}{{end}}\n';

export const orgApiKeyListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return all API keys for your organization.',
  flags: [ORG_ID_FLAG, OUTPUT_FLAG],
  examples: ['privlink organizations apiKeys list --orgId 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx) {
    const orgId = ctx.orgId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<PaginatedWire<ApiKeyWire>>(`${apiPath`/api/atlas/v2/orgs/${orgId}/apiKeys`}?itemsPerPage=500`), TEMPLATE);
  },
});
