import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../../framework/command-spec.js';
import { regionalModePath, requiredRole } from '../provider.js';
import type { RegionalModeWire } from '../../../../api/atlas/wire/private-endpoints.wire.js';

/** `privlink privateEndpoints regionalModes describe`: op 9. */
const TEMPLATE = 'ENABLED\n{{.Enabled}}\n';

export const regionalModeDescribeCommand = defineCommand({
  name: 'describe',
  aliases: ['get'],
  summary: 'Return the regionalized private endpoint setting for your project.',
  description: `Use this command to check whether you can create multiple private resources per region.\n\n${requiredRole('Project Read Only')}`,
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: [
    '# Return the regionalized private endpoint setting for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints regionalModes describe --projectId 5e2211c17a3e5a48f5497de3 --output json',
  ],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<RegionalModeWire>(regionalModePath(projectId)), TEMPLATE);
  },
});
