import { defineCommand, objectIdArg, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { requiredRole } from '../provider.js';
import { ENDPOINT_ID_ARG, EXTENSION_NOTE, INSTANCE_NAME_FLAG, tenantEndpointPath, type ServerlessProvider } from './serverless-provider.js';
import type { ServerlessTenantEndpointWire } from '../../../../api/atlas/wire/serverless.wire.js';

/** `privlink privateEndpoints serverless {aws|azure} describe <endpointId> --instanceName <name>`: `GET …/endpoint/{endpointId}`. */
const TEMPLATES: Record<ServerlessProvider['command'], string> = {
  aws: 'ID\tENDPOINT SERVICE\tENDPOINT\tSTATUS\tERROR\n{{.Id}}\t{{.EndpointServiceName}}\t{{.CloudProviderEndpointId}}\t{{.Status}}\t{{.ErrorMessage}}\n',
  azure:
    'ID\tENDPOINT SERVICE\tENDPOINT\tIP ADDRESS\tSTATUS\tERROR\n{{.Id}}\t{{.EndpointServiceName}}\t{{.CloudProviderEndpointId}}\t{{.PrivateEndpointIpAddress}}\t{{.Status}}\t{{.ErrorMessage}}\n',
};

export function serverlessEndpointDescribeCommand(provider: ServerlessProvider): LeafSpec {
  return defineCommand({
    name: 'describe',
    aliases: ['get'],
    summary: `Return the details for the specified ${provider.label} private endpoint of a serverless instance.`,
    description: `${EXTENSION_NOTE}\n\n${requiredRole('Project Read Only')}`,
    args: [{ ...ENDPOINT_ID_ARG, validate: objectIdArg }],
    flags: [INSTANCE_NAME_FLAG, PROJECT_ID_FLAG, OUTPUT_FLAG],
    examples: [
      `# Return the service name to create your endpoint to:\nprivlink privateEndpoints serverless ${provider.command} describe 5f7cac1adf5d6c6306f4b283 --instanceName myInstance -o json-path='$.endpointServiceName'`,
    ],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      ctx.print(await ctx.api().get<ServerlessTenantEndpointWire>(tenantEndpointPath(projectId, ctx.flag('instanceName')!, id!)), TEMPLATES[provider.command]);
    },
  });
}
