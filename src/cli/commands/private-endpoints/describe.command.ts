import { defineCommand, objectIdArg, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../framework/command-spec.js';
import { formatValue, lookup } from '../../output/go-template.js';
import { endpointServicePath, requiredRole, type Provider } from './provider.js';
import type { EndpointServiceWire } from '../../../api/atlas/wire/private-endpoints.wire.js';

/** `privlink privateEndpoints {aws|azure|gcp} describe <privateEndpointId>`: op 3. */
const TEMPLATES: Record<Provider['command'], string | ((body: unknown) => string)> = {
  aws: 'ID\tENDPOINT SERVICE\tSTATUS\tERROR\n{{.Id}}\t{{.EndpointServiceName}}\t{{.Status}}\t{{.ErrorMessage}}\n',
  azure: 'ID\tENDPOINT SERVICE\tSTATUS\tERROR\n{{.Id}}\t{{.PrivateLinkServiceName}}\t{{.Status}}\t{{.ErrorMessage}}\n',
  // The Atlas template joins endpointGroupNames with ", " (N/A when none): beyond the template subset, so in code.
  gcp: (body) => {
    const groups = lookup(body, ['endpointGroupNames']);
    const names = Array.isArray(groups) && groups.length > 0 ? groups.map(formatValue).join(', ') : 'N/A';
    const field = (name: string) => formatValue(lookup(body, [name]));
    return `ID\tGROUP NAME\tREGION\tSTATUS\tPORT MAPPING ENABLED\tERROR\n${field('id')}\t${names}\t${field('regionName')}\t${field('status')}\t${field('portMappingEnabled')}\t${field('errorMessage')}\n`;
  },
};

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Return the JSON-formatted details for the AWS private endpoint connection with the ID 5f4fc81c1f03a835c2728ff7 for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints aws describe 5f4fc81c1f03a835c2728ff7 --projectId 5e2211c17a3e5a48f5497de3 --output json',
  azure:
    '# Return the JSON-formatted details for the Azure private endpoint connection with the ID 5f4fc81c1f03a835c2728ff7 for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints azure describe 5f4fc81c1f03a835c2728ff7 --projectId 5e2211c17a3e5a48f5497de3 --output json',
  gcp: 'privlink privateEndpoints gcp describe 5f4fc81c1f03a835c2728ff7',
};

const SUMMARIES: Record<Provider['command'], string> = {
  aws: 'Return the details for the specified AWS private endpoints for your project.',
  azure: 'Return the details for the specified Azure private endpoint for your project.',
  gcp: 'Return a specific GCP private endpoint for your project.',
};

export function describeCommand(provider: Provider): LeafSpec {
  return defineCommand({
    name: 'describe',
    aliases: ['get'],
    summary: SUMMARIES[provider.command],
    description: requiredRole('Project Read Only'),
    args: [
      {
        name: 'privateEndpointId',
        description: 'Unique 24-character alphanumeric string that identifies the private endpoint in Atlas.',
        // As in the Atlas CLI, only the AWS command checks the ObjectID before calling the API.
        ...(provider.command === 'aws' ? { validate: objectIdArg } : {}),
      },
    ],
    flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
    examples: [EXAMPLES[provider.command]],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      ctx.print(await ctx.api().get<EndpointServiceWire>(endpointServicePath(projectId, provider, id!)), TEMPLATES[provider.command]);
    },
  });
}
