import { defineCommand, FORCE_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { interfaceEndpointPath, requiredRole, type Provider } from '../provider.js';

/**
 * `privlink privateEndpoints {aws|azure|gcp} interfaces delete <id> --endpointServiceId <id> [--force]`: op 8.
 * `--endpointServiceId` is required for every provider (the Atlas CLI forgets to enforce it for
 * AWS and Azure, and then calls a path with an empty segment). The id is path-escaped: an Azure
 * resource id (`/subscriptions/…`) travels as one segment, `%2Fsubscriptions%2F…`.
 */
const SUCCESS = (id: string) => `Interface endpoint '${id}' deleted\n`;
const DECLINED = 'Interface endpoint not deleted';

const ARGS: Record<Provider['command'], { name: string; description: string }> = {
  aws: { name: 'interfaceEndpointId', description: 'Unique identifier for the AWS interface endpoint (vpce-…).' },
  azure: { name: 'privateEndpointResourceId', description: 'Unique string that identifies the Azure private endpoint interface in Azure.' },
  gcp: { name: 'id', description: 'Unique identifier for the endpoint group.' },
};

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Remove the AWS private endpoint interface with the ID vpce-00713b5e644e830a3 in AWS from the private endpoint 5f4fc14da2b47835a58c63a2 of the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints aws interfaces delete vpce-00713b5e644e830a3 --endpointServiceId 5f4fc14da2b47835a58c63a2 --projectId 5e2211c17a3e5a48f5497de3',
  azure:
    '# Remove the Azure private endpoint interface with the ID /subscriptions/4e133d35-e734-4385-a565-c0945567ae346/resourceGroups/rg_95847a959b876e255dbb9b33_dfragd7w/providers/Microsoft.Network/privateEndpoints/cli-test in Azure from the private endpoint 5f4fc14da2b47835a58c63a2 of the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints azure interfaces delete /subscriptions/4e133d35-e734-4385-a565-c0945567ae346/resourceGroups/rg_95847a959b876e255dbb9b33_dfragd7w/providers/Microsoft.Network/privateEndpoints/cli-test --endpointServiceId 5f4fc14da2b47835a58c63a2 --projectId 5e2211c17a3e5a48f5497de3',
  gcp: 'privlink privateEndpoints gcp interfaces delete endpoint-1 --endpointServiceId 61eaca605af86411903de1dd',
};

export function interfaceDeleteCommand(provider: Provider): LeafSpec {
  return defineCommand({
    name: 'delete',
    aliases: ['rm'],
    summary:
      provider.command === 'gcp'
        ? 'Delete a specific GCP private endpoint interface for your project.'
        : `Remove the specified ${provider.label} private endpoint interface and related service from your project.`,
    description: requiredRole('Project Owner'),
    args: [ARGS[provider.command]],
    flags: [
      { syntax: '--endpointServiceId <endpointServiceId>', description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.', required: true },
      FORCE_FLAG,
      PROJECT_ID_FLAG,
    ],
    examples: [EXAMPLES[provider.command]],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      const api = ctx.api();
      await ctx.confirmDelete(id!, DECLINED);
      await api.delete(interfaceEndpointPath(projectId, provider, ctx.flag('endpointServiceId')!, id!));
      ctx.out(SUCCESS(id!));
    },
  });
}
