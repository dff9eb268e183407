import { defineGroup, generateAliases, type GroupSpec } from '../../framework/command-spec.js';
import { createCommand } from './create.command.js';
import { deleteCommand } from './delete.command.js';
import { describeCommand } from './describe.command.js';
import { interfaceCreateCommand } from './interfaces/create.command.js';
import { interfaceDeleteCommand } from './interfaces/delete.command.js';
import { interfaceDescribeCommand } from './interfaces/describe.command.js';
import { listCommand } from './list.command.js';
import { PROVIDERS, type Provider } from './provider.js';
import { regionalModeDescribeCommand } from './regional-modes/describe.command.js';
import { regionalModeDisableCommand } from './regional-modes/disable.command.js';
import { regionalModeEnableCommand } from './regional-modes/enable.command.js';
import { serverlessEndpointsGroup } from './serverless/serverless.group.js';
import { watchCommand } from './watch.command.js';

/**
 * `privlink privateEndpoints` (aliases privateendpoints, private-endpoints, privateEndpoint, …):
 * the Atlas CLI's `atlas privateEndpoints` tree. The three providers' commands call the same
 * API routes; a provider the server does not serve answers with its error, printed as is.
 * `serverless {aws|azure}` (private endpoints of serverless instances) is privlink's own.
 */
const SUMMARIES: Record<Provider['command'], string> = {
  aws: 'Manage AWS Private Endpoints.',
  azure: 'Manage Azure Private Endpoints.',
  gcp: 'Manage GCP private endpoints.',
};

function providerGroup(provider: Provider): GroupSpec {
  return defineGroup({
    name: provider.command,
    summary: SUMMARIES[provider.command],
    commands: [
      createCommand(provider),
      deleteCommand(provider),
      describeCommand(provider),
      defineGroup({
        name: 'interfaces',
        aliases: ['interface'],
        summary: `Manage Atlas ${provider.label} private endpoint interfaces.`,
        commands: [interfaceCreateCommand(provider), interfaceDeleteCommand(provider), interfaceDescribeCommand(provider)],
      }),
      listCommand(provider),
      watchCommand(provider),
    ],
  });
}

export const privateEndpointsGroup = defineGroup({
  name: 'privateEndpoints',
  aliases: generateAliases('privateEndpoints', 'private-endpoint'),
  summary: 'Manage Atlas private endpoints.',
  commands: [
    providerGroup(PROVIDERS.aws),
    providerGroup(PROVIDERS.azure),
    providerGroup(PROVIDERS.gcp),
    defineGroup({
      name: 'regionalModes',
      aliases: generateAliases('regionalModes', 'regional-mode'),
      summary: 'Manage regionalized private endpoint setting for your Atlas project.',
      commands: [regionalModeDescribeCommand, regionalModeDisableCommand, regionalModeEnableCommand],
    }),
    serverlessEndpointsGroup,
  ],
});
