import { defineCommand, FORCE_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { serverlessInstancePath } from './serverless-api.js';

/**
 * `privlink serverless delete <instanceName> [--force]`: `DELETE /groups/{g}/serverless/{name}`.
 * Asks on a terminal, needs --force elsewhere; "no" → "Serverless instance not deleted", exit 2.
 */
const SUCCESS = (name: string) => `Serverless instance '${name}' deleted\n`;
const DECLINED = 'Serverless instance not deleted';

export const serverlessDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Remove a serverless instance from your project.',
  description: `The instance goes to state DELETING, its private endpoints with it, and disappears once they are gone. This deletes all of its data.\n\n${requiredRole('Project Owner')}`,
  args: [{ name: 'instanceName', description: 'Name of the instance to delete.' }],
  flags: [FORCE_FLAG, PROJECT_ID_FLAG],
  examples: [
    '# Remove a serverless instance named myInstance for the project with the ID 5e2211c17a3e5a48f5497de3:\nprivlink serverless delete myInstance --projectId 5e2211c17a3e5a48f5497de3',
    '# Remove a serverless instance named myInstance without requiring confirmation:\nprivlink serverless delete myInstance --projectId 5e2211c17a3e5a48f5497de3 --force',
  ],
  async run(ctx, [name]) {
    const projectId = ctx.projectId();
    const api = ctx.api();
    await ctx.confirmDelete(name!, DECLINED);
    await api.delete(serverlessInstancePath(projectId, name!));
    ctx.out(SUCCESS(name!));
  },
});
