import * as consoleUsers from '../../../app/console-users.service.js';
import type { ConsoleUser } from '../../../domain/identity.js';
import { orgAccess } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { iso } from '../serializers/identity.serializer.js';
import type { ConsoleUserListWire, ConsoleUserWire } from '../wire/console-users.wire.js';

const LIST = '/orgs/:orgId/privlink/consoleUsers';
const ONE = `${LIST}/:userId`;

/**
 * privlink extension (v2 only): the organization's console users. Organization Owners create
 * (`{username, password, roles}`, granting only roles they hold) and delete; any organization role
 * lists. `GET|POST /orgs/{orgId}/privlink/consoleUsers`, `DELETE …/consoleUsers/{userId}`.
 */
export function consoleUsersRoutes(r: RouteRegistrar): void {
  const v2Only = true;
  r.get(
    LIST,
    async ({ ctx, principal, params }) => {
      const users = (await consoleUsers.listConsoleUsers(ctx, principal, params.orgId!)).map(consoleUserJson);
      const body: ConsoleUserListWire = { results: users, totalCount: users.length };
      return { status: 200, body };
    },
    { v2Only },
  );
  r.post(LIST, async ({ ctx, principal, params, body }) => ({ status: 201, body: consoleUserJson(await consoleUsers.createConsoleUser(ctx, principal, params.orgId!, body)) }), {
    v2Only,
    access: orgAccess('write'),
  });
  r.delete(
    ONE,
    async ({ ctx, principal, params }) => {
      await consoleUsers.deleteConsoleUser(ctx, principal, params.orgId!, params.userId!);
      return { status: 204 };
    },
    { v2Only },
  );
}

/** The Admin API's body of a console user. */
export function consoleUserJson(user: ConsoleUser): ConsoleUserWire {
  return {
    id: user.id,
    username: user.email,
    orgId: user.orgId,
    roles: [...user.orgRoles.map((roleName) => ({ orgId: user.orgId, roleName })), ...user.projectRoles.map((r) => ({ groupId: r.projectId, roleName: r.role }))],
    created: iso(user.createdAt),
  };
}
