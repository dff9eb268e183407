import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { interfaceEndpointPath, requiredRole, type Provider } from '../provider.js';
import type { InterfaceEndpointWire } from '../../../../api/atlas/wire/private-endpoints.wire.js';

/** `privlink privateEndpoints {aws|azure|gcp} interfaces describe <id> --endpointServiceId <id>`: op 7. */
const TEMPLATES: Record<Provider['command'], string> = {
  aws: 'ID\tSTATUS\tERROR\n{{.InterfaceEndpointId}}\t{{.ConnectionStatus}}\t{{.ErrorMessage}}\n',
  azure: 'ID\tIP ADDRESS\tSTATUS\tERROR\n{{.PrivateEndpointResourceId}}\t{{.PrivateEndpointIPAddress}}\t{{.Status}}\t{{.ErrorMessage}}\n',
  gcp: 'ENDPOINT\tSTATUS\tDELETE REQUESTED\n{{.EndpointGroupName}}\t{{.Status}}\t{{.DeleteRequested}}\n',
};

const ARGS: Record<Provider['command'], { name: string; description: string }> = {
  aws: { name: 'interfaceEndpointId', description: 'Unique identifier for the AWS interface endpoint (vpce-…).' },
  azure: { name: 'privateEndpointResourceId', description: 'Unique string that identifies the Azure private endpoint interface in Azure.' },
  gcp: { name: 'id', description: 'Unique identifier for the endpoint group.' },
};

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Return the JSON-formatted details of the AWS private endpoint interface with the ID vpce-00713b5e644e830a3 in AWS for an AWS private endpoint with the ID 5f4fc14da2b47835a58c63a2 in Atlas:\nprivlink privateEndpoints aws interfaces describe vpce-00713b5e644e830a3 --endpointServiceId 5f4fc14da2b47835a58c63a2',
  azure:
    '# Return the JSON-formatted details of the Azure private endpoint interface with the ID /subscriptions/4e133d35-e734-4385-a565-c0945567ae346/resourceGroups/rg_95847a959b876e255dbb9b33_dfragd7w/providers/Microsoft.Network/privateEndpoints/cli-test in Azure for an Azure private endpoint with the ID 5f4fc14da2b47835a58c63a2 in Atlas:\nprivlink privateEndpoints azure interfaces describe /subscriptions/4e133d35-e734-4385-a565-c0945567ae346/resourceGroups/rg_95847a959b876e255dbb9b33_dfragd7w/providers/Microsoft.Network/privateEndpoints/cli-test --endpointServiceId 5f4fc14da2b47835a58c63a2 --output json',
  gcp: 'privlink privateEndpoints gcp interfaces describe endpoint-1 \\\n  --endpointServiceId 61eaca605af86411903de1dd',
};

export function interfaceDescribeCommand(provider: Provider): LeafSpec {
  return defineCommand({
    name: 'describe',
    aliases: ['get'],
    summary:
      provider.command === 'gcp'
        ? 'Return a specific GCP private endpoint interface for your project.'
        : `Return the details for the specified ${provider.label} private endpoint interface for your project.`,
    description: requiredRole('Project Read Only'),
    args: [ARGS[provider.command]],
    flags: [
      { syntax: '--endpointServiceId <endpointServiceId>', description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.', required: true },
      PROJECT_ID_FLAG,
      OUTPUT_FLAG,
    ],
    examples: [EXAMPLES[provider.command]],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      ctx.print(await ctx.api().get<InterfaceEndpointWire>(interfaceEndpointPath(projectId, provider, ctx.flag('endpointServiceId')!, id!)), TEMPLATES[provider.command]);
    },
  });
}
