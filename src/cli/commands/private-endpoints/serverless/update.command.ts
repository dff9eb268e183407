import { defineCommand, objectIdArg, OUTPUT_FLAG, PROJECT_ID_FLAG, type FlagSpec, type LeafSpec } from '../../../framework/command-spec.js';
import { requiredRole } from '../provider.js';
import { ENDPOINT_ID_ARG, EXTENSION_NOTE, INSTANCE_NAME_FLAG, tenantEndpointPath, type ServerlessProvider } from './serverless-provider.js';
import type { ServerlessTenantEndpointUpdateWire, ServerlessTenantEndpointWire } from '../../../../api/atlas/wire/serverless.wire.js';

/**
 * `privlink privateEndpoints serverless {aws|azure} update <endpointId> --instanceName <name>
 * --privateEndpointId <id> [--privateEndpointIpAddress <ip> (azure, required)] [--comment c]`:
 * `PATCH …/endpoint/{endpointId}` with `{providerName, cloudProviderEndpointId, privateEndpointIpAddress?, comment?}`
 * (Atlas requires `providerName`). The private endpoint then goes INITIATING → AVAILABLE.
 */
const TEMPLATE = "Private endpoint '{{.Id}}' updated.\n";

const ENDPOINT_FLAGS: Record<ServerlessProvider['command'], readonly FlagSpec[]> = {
  aws: [{ syntax: '--privateEndpointId <privateEndpointId>', description: 'Unique string that identifies your AWS interface endpoint (vpce-…).', required: true }],
  azure: [
    {
      syntax: '--privateEndpointId <privateEndpointId>',
      description: 'Unique string that identifies your Azure private endpoint (its resource id, /subscriptions/…).',
      required: true,
    },
    { syntax: '--privateEndpointIpAddress <privateEndpointIpAddress>', description: 'IPv4 address of your Azure private endpoint in your virtual network.', required: true },
  ],
};

const EXAMPLES: Record<ServerlessProvider['command'], string> = {
  aws: '# Connect the private endpoint to your AWS interface endpoint vpce-0fcac938279cd98dc:\nprivlink privateEndpoints serverless aws update 5f7cac1adf5d6c6306f4b283 --instanceName myInstance --privateEndpointId vpce-0fcac938279cd98dc',
  azure:
    '# Connect the private endpoint to your Azure private endpoint pe-atlas at 10.0.0.4:\nprivlink privateEndpoints serverless azure update 5f7cac1adf5d6c6306f4b283 --instanceName myInstance \\\n  --privateEndpointId /subscriptions/…/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas --privateEndpointIpAddress 10.0.0.4',
};

export function serverlessEndpointUpdateCommand(provider: ServerlessProvider): LeafSpec {
  return defineCommand({
    name: 'update',
    summary: `Connect the specified ${provider.label} private endpoint of a serverless instance to your endpoint.`,
    description: `Run it once the private endpoint is RESERVED and you have created your endpoint to its endpoint service; \`watch\` then waits until it is AVAILABLE.\n\n${EXTENSION_NOTE}\n\n${requiredRole('Project Owner')}`,
    args: [{ ...ENDPOINT_ID_ARG, validate: objectIdArg }],
    flags: [
      INSTANCE_NAME_FLAG,
      ...ENDPOINT_FLAGS[provider.command],
      { syntax: '--comment <comment>', description: 'Human-readable string to associate with this private endpoint (at most 80 characters).' },
      PROJECT_ID_FLAG,
      OUTPUT_FLAG,
    ],
    examples: [EXAMPLES[provider.command]],
    async run(ctx, [id]) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      const comment = ctx.flag('comment');
      const body: ServerlessTenantEndpointUpdateWire = {
        providerName: provider.api,
        cloudProviderEndpointId: ctx.flag('privateEndpointId')!,
        ...(provider.command === 'azure' ? { privateEndpointIpAddress: ctx.flag('privateEndpointIpAddress')! } : {}),
        ...(comment !== undefined ? { comment } : {}),
      };
      ctx.print(await ctx.api().patch<ServerlessTenantEndpointWire>(tenantEndpointPath(projectId, ctx.flag('instanceName')!, id!), body), TEMPLATE);
    },
  });
}
