// Access control on a simulated node with users (mongod with authorization on, as every Atlas
// cluster runs): what an unauthenticated connection may send, and what a user's roles let it run.
// The node stores nothing, so a command the roles allow is then refused as not supported; one they
// do not allow is refused first, as mongod refuses it.
import type { Document } from 'bson';
import type { SimulatedUser, SimulatedUserRole } from './simulated-auth.js';

/** Commands mongod answers before authentication: the handshake, ping, and authentication itself. */
const WITHOUT_AUTHENTICATION = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'authenticate',
  'logout',
  'getnonce',
  'connectionStatus',
  'endSessions',
  'whatsmyuri',
]);

type Action = 'read' | 'write' | 'schema';

/** Data commands by what they need; the collection is the command's value when it is a string. */
const ACTIONS: Readonly<Record<string, Action>> = {
  find: 'read',
  aggregate: 'read',
  count: 'read',
  distinct: 'read',
  getMore: 'read',
  listCollections: 'read',
  listIndexes: 'read',
  dbStats: 'read',
  collStats: 'read',
  explain: 'read',
  insert: 'write',
  update: 'write',
  delete: 'write',
  findAndModify: 'write',
  bulkWrite: 'write',
  mapReduce: 'write',
  create: 'schema',
  drop: 'schema',
  dropDatabase: 'schema',
  createIndexes: 'schema',
  dropIndexes: 'schema',
  collMod: 'schema',
  renameCollection: 'schema',
  validate: 'schema',
  compact: 'schema',
};

/** Which actions a role grants, on which databases (`any`: every database but `local` and `config`). */
const ROLE_ACTIONS: Readonly<Record<string, { actions: readonly Action[]; any: boolean }>> = {
  atlasAdmin: { actions: ['read', 'write', 'schema'], any: true },
  readWriteAnyDatabase: { actions: ['read', 'write', 'schema'], any: true },
  readAnyDatabase: { actions: ['read'], any: true },
  dbAdminAnyDatabase: { actions: ['schema'], any: true },
  readWrite: { actions: ['read', 'write', 'schema'], any: false },
  read: { actions: ['read'], any: false },
  dbAdmin: { actions: ['schema'], any: false },
};

export function allowedWithoutAuthentication(name: string): boolean {
  return WITHOUT_AUTHENTICATION.has(name);
}

/** mongod's answer to a command that needs a login on a connection without one. */
export function authenticationRequiredReply(name: string): Document {
  return { ok: 0, errmsg: `command ${name} requires authentication`, code: 13, codeName: 'Unauthorized' };
}

/**
 * mongod's refusal when the user's roles do not allow the data command on its database (and
 * collection), or undefined when they do (or the command is not a data command).
 */
export function rolesRefusal(user: SimulatedUser, command: Document, db: string): Document | undefined {
  const name = Object.keys(command)[0] ?? '';
  const action = ACTIONS[name];
  if (!action) return undefined;
  const target = command[name];
  const collection = typeof target === 'string' ? target : undefined;
  if (user.roles.some((role) => grants(role, action, db, collection))) return undefined;
  const shown = typeof target === 'string' ? JSON.stringify(target) : String(target);
  return { ok: 0, errmsg: `not authorized on ${db} to execute command { ${name}: ${shown} }`, code: 13, codeName: 'Unauthorized' };
}

/** `connectionStatus.authInfo` for the connection's user. */
export function authInfo(user: SimulatedUser | undefined): Document {
  if (!user) return { authenticatedUsers: [], authenticatedUserRoles: [] };
  return {
    authenticatedUsers: [{ user: user.username, db: 'admin' }],
    authenticatedUserRoles: user.roles.map((role) => ({ role: role.roleName, db: role.databaseName })),
  };
}

function grants(role: SimulatedUserRole, action: Action, db: string, collection: string | undefined): boolean {
  const rule = ROLE_ACTIONS[role.roleName];
  if (!rule || !rule.actions.includes(action)) return false;
  if (rule.any) return db !== 'local' && db !== 'config';
  if (role.databaseName !== db) return false;
  return !role.collectionName || role.collectionName === collection;
}
