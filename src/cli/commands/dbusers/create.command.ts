import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand, OUTPUT_FLAG, PROJECT_ID_FLAG } from '../../framework/command-spec.js';
import { requiredRole } from '../private-endpoints/provider.js';
import { databaseUsersPath } from './dbusers-api.js';
import type { DatabaseUserWire } from '../../../api/atlas/wire/database-users.wire.js';

/**
 * `privlink dbusers create [builtInRole]... --username <u> [--password <p>] [--role r@db[.coll]...]
 * [--scope name[:CLUSTER]...] [--deleteAfter <date>] [--desc <text>]`, as `atlas dbusers create`:
 * positional built-in roles are granted on `admin`; without `--password` a terminal is asked.
 */
const TEMPLATE = "Database user '{{.Username}}' successfully created.\n";

export const dbUserCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a database user for your project.',
  description: `The user authenticates with SCRAM (SCRAM-SHA-256 or SCRAM-SHA-1) against the admin database. If you omit --password on a terminal, you are asked for it.\n\n${requiredRole('Project Owner')}`,
  args: [{ name: 'builtInRole', description: 'Built-in roles granted on admin: atlasAdmin, readWriteAnyDatabase or readAnyDatabase.', optional: true }],
  variadic: true,
  flags: [
    { syntax: '-u, --username <username>', description: 'Username for authenticating to MongoDB.', required: true },
    { syntax: '-p, --password <password>', description: 'Password for the database user (asked for on a terminal when omitted).' },
    {
      syntax: '--role <role...>',
      description: 'User’s roles and the databases or collections on which the roles apply: roleName@dbName[.collection] (repeat or separate with commas).',
    },
    { syntax: '--scope <scope...>', description: 'Clusters the user can access: name or name:CLUSTER (repeat or separate with commas); none: every cluster of the project.' },
    { syntax: '--deleteAfter <date>', description: 'Timestamp in ISO 8601 format in UTC after which Atlas deletes the user (within one week).' },
    { syntax: '--desc <description>', description: 'Description of this database user.' },
    PROJECT_ID_FLAG,
    OUTPUT_FLAG,
  ],
  examples: [
    '# Create an Atlas admin user:\nprivlink dbusers create atlasAdmin --username myAdminUser --password passW0rd --projectId 5e2211c17a3e5a48f5497de3',
    '# Create a user with readWrite on one database, limited to Cluster0:\nprivlink dbusers create --username myUser --password passW0rd --role readWrite@sales --scope Cluster0 --projectId 5e2211c17a3e5a48f5497de3',
  ],
  async run(ctx, builtInRoles) {
    const projectId = ctx.projectId();
    ctx.outputFormat();
    const username = ctx.flag('username')!;
    const roles = [...builtInRoles.map((name) => ({ databaseName: 'admin', roleName: name })), ...ctx.list('role').map(parseRole)];
    if (roles.length === 0) throw new FlagError('no role given: name a built-in role (atlasAdmin, readWriteAnyDatabase, readAnyDatabase) or use --role roleName@dbName');
    let password = ctx.flag('password');
    if (password === undefined) {
      if (!ctx.terminal) throw new FlagError('required flag(s) "password" not set');
      password = await ctx.prompter().ask('Password:', { hidden: true });
    }
    const scopes = ctx.list('scope').map((scope) => {
      const [name, type] = scope.split(':');
      return { name: name!, type: (type ?? 'CLUSTER').toUpperCase() };
    });
    const body = {
      databaseName: 'admin',
      ...(ctx.flag('deleteAfter') ? { deleteAfterDate: ctx.flag('deleteAfter') } : {}),
      ...(ctx.flag('desc') ? { description: ctx.flag('desc') } : {}),
      groupId: projectId,
      password,
      roles,
      ...(scopes.length > 0 ? { scopes } : {}),
      username,
    };
    ctx.print(await ctx.api().post<DatabaseUserWire>(databaseUsersPath(projectId), body), TEMPLATE);
  },
});

/** `readWrite@sales.orders` → `{roleName: readWrite, databaseName: sales, collectionName: orders}`. */
function parseRole(text: string): { roleName: string; databaseName: string; collectionName?: string } {
  const at = text.indexOf('@');
  if (at <= 0 || at === text.length - 1) throw new FlagError(`invalid argument "${text}" for "--role" flag: expected roleName@dbName[.collection]`);
  const target = text.slice(at + 1);
  const dot = target.indexOf('.');
  return {
    roleName: text.slice(0, at),
    databaseName: dot < 0 ? target : target.slice(0, dot),
    ...(dot < 0 ? {} : { collectionName: target.slice(dot + 1) }),
  };
}
