import type { ConsoleUser } from '../../../domain/identity.js';
import type { ConsoleUserWire } from '../../../api/atlas/wire/console-users.wire.js';
import type { FlagSpec } from '../../framework/command-spec.js';

/** The organization of the users: on a store with one organization (the usual case) it may be left out. */
export const USERS_ORG_FLAG: FlagSpec = {
  syntax: '--orgId <orgId>',
  description: "Organization of the console users; default: the store's only organization.",
};

/** The Admin API's shape of a console user, so `-o json` prints what the API returns. */
export function consoleUserWire(user: ConsoleUser): ConsoleUserWire {
  return {
    id: user.id,
    username: user.email,
    orgId: user.orgId,
    roles: [...user.orgRoles.map((roleName) => ({ orgId: user.orgId, roleName })), ...user.projectRoles.map((r) => ({ groupId: r.projectId, roleName: r.role }))],
    created: user.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** `ORG_OWNER, GROUP_READ_ONLY@<projectId>`: a user's roles on one line. */
export function rolesText(user: ConsoleUserWire): string {
  return user.roles.map((r) => ('groupId' in r ? `${r.roleName}@${r.groupId}` : r.roleName)).join(', ');
}
