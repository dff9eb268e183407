import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../framework/command-spec.js';
import { providerServicesPath, requiredRole, type Provider } from './provider.js';
import type { EndpointServiceWire } from '../../../api/atlas/wire/private-endpoints.wire.js';

/** `privlink privateEndpoints {aws|azure|gcp} list`: op 2 (a bare JSON array). */
const TEMPLATES: Record<Provider['command'], string> = {
  aws: 'ID\tENDPOINT SERVICE\tSTATUS\tERROR{{range valueOrEmptySlice .}}\n{{.Id}}\t{{.EndpointServiceName}}\t{{.Status}}\t{{.ErrorMessage}}{{end}}\n',
  azure: 'ID\tENDPOINT SERVICE\tSTATUS\tERROR{{range valueOrEmptySlice .}}\n{{.Id}}\t{{.PrivateLinkServiceName}}\t{{.Status}}\t{{.ErrorMessage}}{{end}}\n',
  gcp: 'ID\tREGION\tSTATUS\tERROR{{range valueOrEmptySlice .}}\n{{.Id}}\t{{.RegionName}}\t{{.Status}}\t{{.ErrorMessage}}{{end}}\n',
};

const EXAMPLES: Record<Provider['command'], string> = {
  aws: '# Return a JSON-formatted list of all AWS private endpoints for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints aws list --projectId 5e2211c17a3e5a48f5497de3 --output json',
  azure:
    '# Return a JSON-formatted list of all Azure private endpoints for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints azure list --projectId 5e2211c17a3e5a48f5497de3 --output json',
  gcp: 'privlink privateEndpoints gcp ls',
};

export function listCommand(provider: Provider): LeafSpec {
  return defineCommand({
    name: 'list',
    aliases: ['ls'],
    summary: provider.command === 'gcp' ? 'List GCP private endpoints for your project.' : `Return all ${provider.label} private endpoints for your project.`,
    description: requiredRole('Project Read Only'),
    flags: [
      PROJECT_ID_FLAG,
      OUTPUT_FLAG,
      // Deprecated in the Atlas CLI ("--page and --limit are not supported"); accepted and ignored.
      { syntax: '--page <page>', description: 'Page number (not supported; the list is not paginated).', hidden: true },
      { syntax: '--limit <limit>', description: 'Items per page (not supported; the list is not paginated).', hidden: true },
    ],
    examples: [EXAMPLES[provider.command]],
    async run(ctx) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      ctx.print(await ctx.api().get<EndpointServiceWire[]>(providerServicesPath(projectId, provider)), TEMPLATES[provider.command]);
    },
  });
}
