import { createAccessEntry, deleteAccessEntry, listAccessList, updateAccessEntry } from '../../../app/appservices-access-list.service.js';
import { getApp } from '../../../app/appservices-apps.service.js';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  listServiceInfos,
  setAllowNonVpcClientRequests,
  updateEndpoint,
} from '../../../app/appservices-endpoints.service.js';
import { projectAccess } from '../../route-access.js';
import type { AppServicesRegistrar } from '../route-registrar.js';
import { accessEntryBody, accessListBody, endpointBody, serviceInfoBody } from '../serializers.js';

const SECURITY = '/groups/:groupId/apps/:appId/security';

/** Private endpoints, their service infos, the non-VPC requests toggle, and the IP access list. */
export function securityRoutes(routes: AppServicesRegistrar): void {
  routes.route('GET', `${SECURITY}/private_endpoint_service_infos`, async ({ ctx, principal, params }) => ({
    status: 200,
    body: (await listServiceInfos(ctx, principal, params.groupId!, params.appId!)).map(serviceInfoBody),
  }));
  routes.route('GET', `${SECURITY}/private_endpoints`, async ({ ctx, principal, params }) => ({
    status: 200,
    body: (await listEndpoints(ctx, principal, params.groupId!, params.appId!)).map(endpointBody),
  }));
  routes.route(
    'POST',
    `${SECURITY}/private_endpoints`,
    async ({ ctx, principal, params, body }) => ({ status: 201, body: endpointBody(await createEndpoint(ctx, principal, params.groupId!, params.appId!, body)) }),
    { access: projectAccess('write') },
  );
  routes.route('GET', `${SECURITY}/private_endpoints/:privateEndpointId`, async ({ ctx, principal, params }) => ({
    status: 200,
    body: endpointBody(await getEndpoint(ctx, principal, params.groupId!, params.appId!, params.privateEndpointId!)),
  }));
  routes.route(
    'PUT',
    `${SECURITY}/private_endpoints/:privateEndpointId`,
    async ({ ctx, principal, params, body }) => ({
      status: 200,
      body: endpointBody(await updateEndpoint(ctx, principal, params.groupId!, params.appId!, params.privateEndpointId!, body)),
    }),
    { access: projectAccess('write') },
  );
  routes.route('DELETE', `${SECURITY}/private_endpoints/:privateEndpointId`, async ({ ctx, principal, params }) => {
    await deleteEndpoint(ctx, principal, params.groupId!, params.appId!, params.privateEndpointId!);
    return { status: 204 };
  });
  routes.route(
    'POST',
    `${SECURITY}/allow_non_vpc_client_requests`,
    async ({ ctx, principal, params, body }) => {
      await setAllowNonVpcClientRequests(ctx, principal, params.groupId!, params.appId!, body);
      return { status: 204 };
    },
    { access: projectAccess('write') },
  );
  // Not in the specification (it has no GET): where the toggle's value is read back.
  routes.route('GET', `${SECURITY}/allow_non_vpc_client_requests`, async ({ ctx, principal, params }) => {
    const app = await getApp(ctx, principal, params.groupId!, params.appId!);
    return { status: 200, body: { allow_non_vpc_client_requests: app.allowNonVpcClientRequests } };
  });
  accessListRoutes(routes);
}

/**
 * The app's IP access list (the specification's `allowedIPAccessList*` operations). `PUT` on an
 * entry is not in the specification: the App Services CLI updates entries with it (→ 204).
 */
function accessListRoutes(routes: AppServicesRegistrar): void {
  routes.route('GET', `${SECURITY}/access_list`, async ({ ctx, principal, params, clientAddress }) => ({
    status: 200,
    body: accessListBody(await listAccessList(ctx, principal, params.groupId!, params.appId!), clientAddress),
  }));
  routes.route(
    'POST',
    `${SECURITY}/access_list`,
    async ({ ctx, principal, params, body, clientAddress }) => ({
      status: 201,
      body: accessEntryBody(await createAccessEntry(ctx, principal, params.groupId!, params.appId!, body, clientAddress), clientAddress),
    }),
    { access: projectAccess('write') },
  );
  routes.route(
    'PATCH',
    `${SECURITY}/access_list/:ipId`,
    async ({ ctx, principal, params, body, clientAddress }) => ({
      status: 201,
      body: accessEntryBody(await updateAccessEntry(ctx, principal, params.groupId!, params.appId!, params.ipId!, body, clientAddress), clientAddress),
    }),
    { access: projectAccess('write') },
  );
  routes.route(
    'PUT',
    `${SECURITY}/access_list/:ipId`,
    async ({ ctx, principal, params, body, clientAddress }) => {
      await updateAccessEntry(ctx, principal, params.groupId!, params.appId!, params.ipId!, body, clientAddress);
      return { status: 204 };
    },
    { access: projectAccess('write') },
  );
  routes.route('DELETE', `${SECURITY}/access_list/:ipId`, async ({ ctx, principal, params }) => {
    await deleteAccessEntry(ctx, principal, params.groupId!, params.appId!, params.ipId!);
    return { status: 204 };
  });
}
