import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../../framework/command-spec.js';
import { regionalModePath, requiredRole } from '../provider.js';

/** `privlink privateEndpoints regionalModes enable`: op 10 `{"enabled":true}`. */
const TEMPLATE = 'Regionalized private endpoint setting enabled.\n';

export const regionalModeEnableCommand = defineCommand({
  name: 'enable',
  summary: 'Enable the regionalized private endpoint setting for your project.',
  description: `This enables the ability to create multiple private resources per region in all cloud service providers for this project.\n\n${requiredRole('Project Owner')}`,
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: [
    '# Enable the regionalized private endpoint setting in the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints regionalModes enable --projectId 5e2211c17a3e5a48f5497de3 --output json',
  ],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().patch(regionalModePath(projectId), { enabled: true }), TEMPLATE);
  },
});
