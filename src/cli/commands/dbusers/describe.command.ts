import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { AUTH_DB_FLAG, databaseUserPath } from './dbusers-api.js';
import type { DatabaseUserWire } from '../../../api/atlas/wire/database-users.wire.js';

/** `privlink dbusers describe <username> [--authDB admin]`: `GET /groups/{g}/databaseUsers/{db}/{username}`. */
const TEMPLATE = 'USERNAME\tDATABASE\n{{.Username}}\t{{.DatabaseName}}\n';

export const dbUserDescribeCommand = defineCommand({
  name: 'describe',
  aliases: ['get'],
  summary: 'Return the details for the specified database user for your project.',
  description: requiredRole('Project Read Only'),
  args: [{ name: 'username', description: 'Username to retrieve from the MongoDB database.' }],
  flags: [AUTH_DB_FLAG, PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['# Return the JSON-formatted details of the user myDbUser:\nprivlink dbusers describe myDbUser --projectId 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx, [username]) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<DatabaseUserWire>(databaseUserPath(projectId, ctx.flag('authDB') ?? 'admin', username!)), TEMPLATE);
  },
});
