import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { requiredRole } from '../provider.js';
import { EXTENSION_NOTE, tenantEndpointsPath, type ServerlessProvider } from './serverless-provider.js';
import type { ServerlessTenantEndpointWire } from '../../../../api/atlas/wire/serverless.wire.js';

/** `privlink privateEndpoints serverless {aws|azure} list <instanceName>`: `GET …/instance/{instanceName}/endpoint` (a bare JSON array). */
const TEMPLATES: Record<ServerlessProvider['command'], string> = {
  aws: 'ID\tENDPOINT SERVICE\tENDPOINT\tSTATUS\tERROR{{range valueOrEmptySlice .}}\n{{.Id}}\t{{.EndpointServiceName}}\t{{.CloudProviderEndpointId}}\t{{.Status}}\t{{.ErrorMessage}}{{end}}\n',
  azure:
    'ID\tENDPOINT SERVICE\tENDPOINT\tIP ADDRESS\tSTATUS\tERROR{{range valueOrEmptySlice .}}\n{{.Id}}\t{{.EndpointServiceName}}\t{{.CloudProviderEndpointId}}\t{{.PrivateEndpointIpAddress}}\t{{.Status}}\t{{.ErrorMessage}}{{end}}\n',
};

export function serverlessEndpointListCommand(provider: ServerlessProvider): LeafSpec {
  return defineCommand({
    name: 'list',
    aliases: ['ls'],
    summary: `Return all ${provider.label} private endpoints of a serverless instance.`,
    description: `${EXTENSION_NOTE}\n\n${requiredRole('Project Read Only')}`,
    args: [{ name: 'instanceName', description: 'Human-readable label that identifies the serverless instance.' }],
    flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
    examples: [`privlink privateEndpoints serverless ${provider.command} list myInstance --output json`],
    async run(ctx, [instanceName]) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      ctx.print(await ctx.api().get<ServerlessTenantEndpointWire[]>(tenantEndpointsPath(projectId, instanceName!)), TEMPLATES[provider.command]);
    },
  });
}
