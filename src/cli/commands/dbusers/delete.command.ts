import { defineCommand, FORCE_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { AUTH_DB_FLAG, databaseUserPath } from './dbusers-api.js';

/**
 * `privlink dbusers delete <username> [--authDB admin] [--force]`: `DELETE /groups/{g}/databaseUsers/{db}/{username}`.
 * Asks on a terminal, needs --force elsewhere; "no" → "User not deleted", exit 2.
 */
export const dbUserDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Remove the specified database user from your project.',
  description: `Connections the user opened keep their login; new ones are refused.\n\n${requiredRole('Project Owner')}`,
  args: [{ name: 'username', description: 'Username to delete from the MongoDB database.' }],
  flags: [AUTH_DB_FLAG, FORCE_FLAG, PROJECT_ID_FLAG],
  examples: ['# Remove the database user myDbUser without asking:\nprivlink dbusers delete myDbUser --force --projectId 5e2211c17a3e5a48f5497de3'],
  async run(ctx, [username]) {
    const projectId = ctx.projectId();
    const api = ctx.api();
    await ctx.confirmDelete(username!, 'User not deleted');
    await api.delete(databaseUserPath(projectId, ctx.flag('authDB') ?? 'admin', username!));
    ctx.out(`DB user '${username}' deleted\n`);
  },
});
