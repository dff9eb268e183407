import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG, type LeafSpec } from '../../../framework/command-spec.js';
import { requiredRole } from '../provider.js';
import { EXTENSION_NOTE, tenantEndpointsPath, type ServerlessProvider } from './serverless-provider.js';
import type { ServerlessTenantCreateRequestWire, ServerlessTenantEndpointWire } from '../../../../api/atlas/wire/serverless.wire.js';

/**
 * `privlink privateEndpoints serverless {aws|azure} create <instanceName> [--comment c]`:
 * `POST …/privateEndpoint/serverless/instance/{instanceName}/endpoint` with `{comment?}`.
 * The cloud is the instance's; the command's provider only words the help.
 */
const TEMPLATE = "Private endpoint '{{.Id}}' created.\n";

export function serverlessEndpointCreateCommand(provider: ServerlessProvider): LeafSpec {
  return defineCommand({
    name: 'create',
    aliases: ['add'],
    summary: `Create a new ${provider.label} private endpoint for a serverless instance.`,
    description: `The private endpoint starts in status RESERVATION_REQUESTED; \`privlink privateEndpoints serverless ${provider.command} watch <endpointId> --instanceName <instanceName>\` waits until it is RESERVED and its endpoint service name is known. The serverless instance must run on ${provider.label}.\n\n${EXTENSION_NOTE}\n\n${requiredRole('Project Owner')}`,
    args: [{ name: 'instanceName', description: 'Human-readable label that identifies the serverless instance.' }],
    flags: [{ syntax: '--comment <comment>', description: 'Human-readable string to associate with this private endpoint (at most 80 characters).' }, PROJECT_ID_FLAG, OUTPUT_FLAG],
    examples: [
      `# Create a private endpoint for the ${provider.label} serverless instance named myInstance:\nprivlink privateEndpoints serverless ${provider.command} create myInstance --comment "app servers"`,
    ],
    async run(ctx, [instanceName]) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      const comment = ctx.flag('comment');
      const body: ServerlessTenantCreateRequestWire = comment === undefined ? {} : { comment };
      ctx.print(await ctx.api().post<ServerlessTenantEndpointWire>(tenantEndpointsPath(projectId, instanceName!), body), TEMPLATE);
    },
  });
}
