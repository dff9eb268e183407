import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../../framework/command-spec.js';
import { regionalModePath, requiredRole } from '../provider.js';
import type { RegionalModeWire } from '../../../../api/atlas/wire/private-endpoints.wire.js';

/**
 * `privlink privateEndpoints regionalModes enable|disable`: op 10 `{"enabled":true|false}`, with
 * the Atlas CLI's texts (`Regionalized private endpoint setting enabled.` / `disabled.`).
 */
export function regionalModeSetCommand(enabled: boolean) {
  const verb = enabled ? 'enable' : 'disable';
  const Verb = enabled ? 'Enable' : 'Disable';
  return defineCommand({
    name: verb,
    summary: `${Verb} the regionalized private endpoint setting for your project.`,
    description: `This ${verb}s the ability to create multiple private resources per region in all cloud service providers for this project.\n\n${requiredRole('Project Owner')}`,
    flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
    examples: [
      `# ${Verb} the regionalized private endpoint setting in the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink privateEndpoints regionalModes ${verb} --projectId 5e2211c17a3e5a48f5497de3 --output json`,
    ],
    async run(ctx) {
      const projectId = ctx.projectId();
      ctx.outputFormat();
      const body: RegionalModeWire = { enabled };
      ctx.print(await ctx.api().patch<RegionalModeWire>(regionalModePath(projectId), body), `Regionalized private endpoint setting ${verb}d.\n`);
    },
  });
}
