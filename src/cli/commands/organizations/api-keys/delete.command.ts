import { apiPath } from '../../../api/api-session.js';
import { defineCommand, FORCE_FLAG, ORG_ID_FLAG } from '../../../framework/command-spec.js';

/** `privlink organizations apiKeys delete <ID> [--force]`: `DELETE /api/atlas/v2/orgs/{orgId}/apiKeys/{id}`. */
export const orgApiKeyDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Remove the specified API key from your organization.',
  args: [{ name: 'ID', description: 'Unique 24-digit string that identifies your API key.' }],
  flags: [FORCE_FLAG, ORG_ID_FLAG],
  examples: ['privlink organizations apiKeys delete 62f3f9a5e2b1cb6bd9ac1c8b --orgId 5e2211c17a3e5a48f5497de3 --force'],
  async run(ctx, [id]) {
    const orgId = ctx.orgId();
    const api = ctx.api();
    await ctx.confirmDelete(id!, 'API Key not deleted');
    await api.delete(apiPath`/api/atlas/v2/orgs/${orgId}/apiKeys/${id!}`);
    ctx.out(`API Key '${id}' deleted\n`);
  },
});
