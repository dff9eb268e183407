import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../../framework/command-spec.js';
import { regionalModePath, requiredRole } from '../provider.js';

/** `privlink privateEndpoints regionalModes disable`: op 10 `{"enabled":false}`. */
const TEMPLATE = 'Regionalized private endpoint setting disabled.\n';

export const regionalModeDisableCommand = defineCommand({
  name: 'disable',
  summary: 'Disable the regionalized private endpoint setting for your project.',
  description: `This disables the ability to create multiple private resources per region in all cloud service providers for this project.\n\n${requiredRole('Project Owner')}`,
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: [
    '# Disable the regionalized private endpoint setting in the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints regionalModes disable --projectId 5e2211c17a3e5a48f5497de3 --output json',
  ],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().patch(regionalModePath(projectId), { enabled: false }), TEMPLATE);
  },
});
