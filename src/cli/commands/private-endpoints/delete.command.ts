import { defineCommand, FORCE_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../framework/command-spec.js';
import { endpointServicePath, requiredRole, type Provider } from './provider.js';

/**
 * `privlink privateEndpoints {aws|azure|gcp} delete <privateEndpointId> [--force]`: op 4.
 * Asks on a terminal, needs --force elsewhere; "no" → "Private endpoint not deleted", exit 2.
 */
const SUCCESS = (id: string) => `Private endpoint '${id}' deleted\n`;
const DECLINED = 'Private endpoint not deleted';

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Remove the AWS private endpoint with the ID 5f4fc14da2b47835a58c63a2 from the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints aws delete 5f4fc14da2b47835a58c63a2 --projectId 5e2211c17a3e5a48f5497de3',
  azure:
    '# Remove the Azure private endpoint with the ID 5f4fc14da2b47835a58c63a2 from the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints azure delete 5f4fc14da2b47835a58c63a2 --projectId 5e2211c17a3e5a48f5497de3',
  gcp: 'privlink privateEndpoints gcp delete 5f4fc14da2b47835a58c63a2 --force',
};

export function deleteCommand(provider: Provider): LeafSpec {
  return defineCommand({
    name: 'delete',
    aliases: ['rm'],
    summary: provider.command === 'gcp' ? 'Delete a GCP private endpoint for your project.' : `Remove the specified ${provider.label} private endpoint from your project.`,
    description: requiredRole('Project Owner'),
    args: [{ name: 'privateEndpointId', description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.' }],
    flags: [FORCE_FLAG, PROJECT_ID_FLAG],
    examples: [EXAMPLES[provider.command]],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      const api = ctx.api();
      await ctx.confirmDelete(id!, DECLINED);
      await api.delete(endpointServicePath(projectId, provider, id!));
      ctx.out(SUCCESS(id!));
    },
  });
}
