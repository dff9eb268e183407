import * as usersUseCases from '../../../app/database-users.service.js';
import { projectAccess } from '../../route-access.js';
import { paginate } from '../pagination.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { databaseUserJson } from '../serializers/database-users.serializer.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const users = tracedUseCases(usersUseCases);

const USERS = '/groups/:groupId/databaseUsers';
const USER = `${USERS}/:databaseName/:username`;

/**
 * Database users (`/groups/{groupId}/databaseUsers[/{databaseName}/{username}]`): create (201),
 * list, get, update (PATCH, 200), delete (204), on v1.0 and v2 as Atlas has them. Reading needs
 * Project Read Only; writing needs Project Owner.
 */
export function databaseUsersRoutes(r: RouteRegistrar): void {
  const write = { access: projectAccess('write') };
  r.post(
    USERS,
    async ({ ctx, principal, params, body, base }) => ({ status: 201, body: databaseUserJson(await users.createDatabaseUser(ctx, principal, params.groupId!, body), base) }),
    write,
  );
  r.get(USERS, async ({ ctx, principal, params, query, base }) => {
    const list = (await users.listDatabaseUsers(ctx, principal, params.groupId!)).map((user) => databaseUserJson(user, base));
    return { status: 200, body: paginate(list, query, `${base}${USERS.replace(':groupId', params.groupId!)}`) };
  });
  r.get(USER, async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: databaseUserJson(await users.getDatabaseUser(ctx, principal, params.groupId!, params.databaseName!, params.username!), base),
  }));
  r.patch(
    USER,
    async ({ ctx, principal, params, body, base }) => ({
      status: 200,
      body: databaseUserJson(await users.updateDatabaseUser(ctx, principal, params.groupId!, params.databaseName!, params.username!, body), base),
    }),
    write,
  );
  r.delete(USER, async ({ ctx, principal, params }) => {
    await users.deleteDatabaseUser(ctx, principal, params.groupId!, params.databaseName!, params.username!);
    return { status: 204 };
  });
}
