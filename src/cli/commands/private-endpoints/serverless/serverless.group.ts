import { defineGroup, type GroupSpec } from '../../../framework/command-spec.js';
import { serverlessEndpointCreateCommand } from './create.command.js';
import { serverlessEndpointDeleteCommand } from './delete.command.js';
import { serverlessEndpointDescribeCommand } from './describe.command.js';
import { serverlessEndpointListCommand } from './list.command.js';
import { EXTENSION_NOTE, SERVERLESS_PROVIDERS, type ServerlessProvider } from './serverless-provider.js';
import { serverlessEndpointUpdateCommand } from './update.command.js';
import { serverlessEndpointWatchCommand } from './watch.command.js';

/**
 * `privlink privateEndpoints serverless {aws|azure} {create|list|describe|update|delete|watch}`:
 * private endpoints of serverless instances (privlink's extension of the Atlas CLI tree).
 */
function providerGroup(provider: ServerlessProvider): GroupSpec {
  return defineGroup({
    name: provider.command,
    summary: `Manage ${provider.label} private endpoints of serverless instances.`,
    description: EXTENSION_NOTE,
    commands: [
      serverlessEndpointCreateCommand(provider),
      serverlessEndpointDeleteCommand(provider),
      serverlessEndpointDescribeCommand(provider),
      serverlessEndpointListCommand(provider),
      serverlessEndpointUpdateCommand(provider),
      serverlessEndpointWatchCommand(provider),
    ],
  });
}

export const serverlessEndpointsGroup = defineGroup({
  name: 'serverless',
  summary: 'Manage private endpoints of serverless instances.',
  description: `A serverless instance's private endpoint is made in three steps: create it (Atlas reserves an endpoint service: RESERVED), create your endpoint to that service in your cloud, then update the private endpoint with your endpoint's id (AVAILABLE).\n\n${EXTENSION_NOTE}`,
  commands: SERVERLESS_PROVIDERS.map(providerGroup),
});
