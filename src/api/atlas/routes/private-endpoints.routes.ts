import * as servicesUseCases from '../../../app/endpoint-services.service.js';
import * as endpointsUseCases from '../../../app/interface-endpoints.service.js';
import * as regionalModeUseCases from '../../../app/regional-mode.service.js';
import { projectAccess } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { endpointServiceJson, interfaceEndpointJson, sharedEndpointServiceJson } from '../serializers/private-endpoints.serializer.js';
import type { RegionalModeWire } from '../wire/private-endpoints.wire.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const services = tracedUseCases(servicesUseCases);
const endpoints = tracedUseCases(endpointsUseCases);
const regionalMode = tracedUseCases(regionalModeUseCases);

/**
 * Atlas's private endpoint operations (endpoint services, interface endpoints, regional mode), with the status codes real Atlas returns (201 on
 * create, 202 `{}` on service delete, 202 on regional-mode PATCH).
 */
export function privateEndpointsRoutes(r: RouteRegistrar): void {
  r.post(
    '/groups/:groupId/privateEndpoint/endpointService',
    async ({ ctx, principal, params, body }) => ({
      status: 201,
      body: endpointServiceJson(await services.createEndpointService(ctx, principal, params.groupId!, body)),
    }),
    { access: projectAccess('write') },
  );
  r.get('/groups/:groupId/privateEndpoint/regionalMode', async ({ ctx, principal, params }) => ({
    status: 200,
    body: (await regionalMode.getRegionalMode(ctx, principal, params.groupId!)) satisfies RegionalModeWire,
  }));
  r.patch(
    '/groups/:groupId/privateEndpoint/regionalMode',
    async ({ ctx, principal, params, body }) => ({
      status: 202,
      body: (await regionalMode.setRegionalMode(ctx, principal, params.groupId!, body)) satisfies RegionalModeWire,
    }),
    { access: projectAccess('write') },
  );
  r.get('/groups/:groupId/privateEndpoint/:cloudProvider/endpointService', async ({ ctx, principal, params }) => ({
    status: 200,
    body: (await services.listEndpointServices(ctx, principal, params.groupId!, params.cloudProvider!)).map(endpointServiceJson),
  }));
  r.get('/groups/:groupId/privateEndpoint/:cloudProvider/endpointService/:endpointServiceId', async ({ ctx, principal, params }) => ({
    status: 200,
    // The use case answers its cached view, the same object until the cache is refilled.
    body: sharedEndpointServiceJson(await services.getEndpointService(ctx, principal, params.groupId!, params.cloudProvider!, params.endpointServiceId!)),
  }));
  r.delete('/groups/:groupId/privateEndpoint/:cloudProvider/endpointService/:endpointServiceId', async ({ ctx, principal, params }) => {
    await services.deleteEndpointService(ctx, principal, params.groupId!, params.cloudProvider!, params.endpointServiceId!);
    return { status: 202, body: {} };
  });
  r.post(
    '/groups/:groupId/privateEndpoint/:cloudProvider/endpointService/:endpointServiceId/endpoint',
    async ({ ctx, principal, params, body }) => ({
      status: 201,
      body: interfaceEndpointJson(await endpoints.createInterfaceEndpoint(ctx, principal, params.groupId!, params.cloudProvider!, params.endpointServiceId!, body)),
    }),
    { access: projectAccess('write') },
  );
  r.get('/groups/:groupId/privateEndpoint/:cloudProvider/endpointService/:endpointServiceId/endpoint/:endpointId', async ({ ctx, principal, params }) => ({
    status: 200,
    body: interfaceEndpointJson(await endpoints.getInterfaceEndpoint(ctx, principal, params.groupId!, params.cloudProvider!, params.endpointServiceId!, params.endpointId!)),
  }));
  r.delete('/groups/:groupId/privateEndpoint/:cloudProvider/endpointService/:endpointServiceId/endpoint/:endpointId', async ({ ctx, principal, params }) => {
    await endpoints.deleteInterfaceEndpoint(ctx, principal, params.groupId!, params.cloudProvider!, params.endpointServiceId!, params.endpointId!);
    return { status: 204 };
  });
}
