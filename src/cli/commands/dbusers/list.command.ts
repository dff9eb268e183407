import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { databaseUsersPath } from './dbusers-api.js';
import type { DatabaseUserWire } from '../../../api/atlas/wire/database-users.wire.js';
import type { PaginatedWire } from '../../../api/atlas/wire/common.wire.js';

/** `privlink dbusers list`: `GET /groups/{g}/databaseUsers`. */
const TEMPLATE = 'USERNAME\tDATABASE{{range valueOrEmptySlice .Results}}\n{{.Username}}\t{{.DatabaseName}}{{end}}\n';

export const dbUserListCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  summary: 'Return all database users for your project.',
  description: requiredRole('Project Read Only'),
  flags: [PROJECT_ID_FLAG, OUTPUT_FLAG],
  examples: ['# Return a JSON-formatted list of the database users of a project:\nprivlink dbusers list --projectId 5e2211c17a3e5a48f5497de3 --output json'],
  async run(ctx) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    ctx.print(await ctx.api().get<PaginatedWire<DatabaseUserWire>>(`${databaseUsersPath(projectId)}?itemsPerPage=500`), TEMPLATE);
  },
});
