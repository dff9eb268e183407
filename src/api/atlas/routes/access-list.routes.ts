import * as accessListUseCases from '../../../app/access-list.service.js';
import { projectAccess } from '../../route-access.js';
import { paginate } from '../pagination.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { accessListEntryJson } from '../serializers/access-list.serializer.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const accessList = tracedUseCases(accessListUseCases);

const LIST = '/groups/:groupId/accessList';
const ENTRY = `${LIST}/:entryValue`;

/**
 * The project IP access list (`/groups/{groupId}/accessList[/{entryValue}]`): add entries (POST
 * with an array; 200 with the whole list, as Atlas's specification answers), list, get one, delete one (204).
 * `{entryValue}` is an address, a URL-encoded CIDR block (`10.0.0.0%2F16`) or a security group.
 */
export function accessListRoutes(r: RouteRegistrar): void {
  r.post(
    LIST,
    async ({ ctx, principal, params, body, query, base }) => {
      const list = await accessList.addAccessListEntries(ctx, principal, params.groupId!, body);
      return {
        status: 200,
        body: paginate(
          list.map((e) => accessListEntryJson(e, base)),
          query,
          `${base}/groups/${params.groupId}/accessList`,
        ),
      };
    },
    { access: projectAccess('write') },
  );
  r.get(LIST, async ({ ctx, principal, params, query, base }) => {
    const list = await accessList.listAccessListEntries(ctx, principal, params.groupId!);
    return {
      status: 200,
      body: paginate(
        list.map((e) => accessListEntryJson(e, base)),
        query,
        `${base}/groups/${params.groupId}/accessList`,
      ),
    };
  });
  r.get(ENTRY, async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: accessListEntryJson(await accessList.getAccessListEntry(ctx, principal, params.groupId!, params.entryValue!), base),
  }));
  r.delete(ENTRY, async ({ ctx, principal, params }) => {
    await accessList.deleteAccessListEntry(ctx, principal, params.groupId!, params.entryValue!);
    return { status: 204 };
  });
}
