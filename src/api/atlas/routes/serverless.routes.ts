import * as endpointsUseCases from '../../../app/serverless-endpoints.service.js';
import * as instancesUseCases from '../../../app/serverless-instances.service.js';
import { serverlessConnectionStrings } from '../../../app/serverless-connection-strings.js';
import { reader, type AppContext } from '../../../app/app-context.js';
import type { ServerlessInstanceRecord } from '../../../domain/serverless-instance.js';
import { projectAccess } from '../../route-access.js';
import { paginate } from '../pagination.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { serverlessEndpointJson, serverlessInstanceJson } from '../serializers/serverless.serializer.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const endpoints = tracedUseCases(endpointsUseCases);
const instances = tracedUseCases(instancesUseCases);

const INSTANCE = '/groups/:groupId/serverless/:instanceName';
const ENDPOINTS = '/groups/:groupId/privateEndpoint/serverless/instance/:instanceName/endpoint';
const ENDPOINT = `${ENDPOINTS}/:serverlessEndpointId`;

async function instanceJson(ctx: AppContext, instance: ServerlessInstanceRecord, base: string) {
  return serverlessInstanceJson(instance, await serverlessConnectionStrings(reader(ctx), instance, ctx.settings.domain), base);
}

/**
 * Serverless instances (`/groups/{groupId}/serverless[/{name}]`: create, list, get, update, delete
 * on v2; list and get on v1.0, which has no other serverless-instance operation) and their private
 * endpoints (`…/privateEndpoint/serverless/instance/{instanceName}/endpoint[/{endpointId}]` on both,
 * 201 on create, 204 on delete, as Atlas documents).
 */
export function serverlessRoutes(r: RouteRegistrar): void {
  const write = { access: projectAccess('write') };
  r.post(
    '/groups/:groupId/serverless',
    async ({ ctx, principal, params, body, base }) => ({
      status: 201,
      body: await instanceJson(ctx, await instances.createServerlessInstance(ctx, principal, params.groupId!, body), base),
    }),
    { ...write, v2Only: true },
  );
  r.get('/groups/:groupId/serverless', async ({ ctx, principal, params, query, base }) => {
    const list = await instances.listServerlessInstances(ctx, principal, params.groupId!);
    const bodies = [];
    for (const instance of list) bodies.push(await instanceJson(ctx, instance, base));
    return { status: 200, body: paginate(bodies, query, `${base}/groups/${params.groupId}/serverless`) };
  });
  r.get(INSTANCE, async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: await instanceJson(ctx, await instances.getServerlessInstance(ctx, principal, params.groupId!, params.instanceName!), base),
  }));
  r.patch(
    INSTANCE,
    async ({ ctx, principal, params, body, base }) => ({
      status: 200,
      body: await instanceJson(ctx, await instances.updateServerlessInstance(ctx, principal, params.groupId!, params.instanceName!, body), base),
    }),
    { ...write, v2Only: true },
  );
  r.delete(
    INSTANCE,
    async ({ ctx, principal, params }) => {
      await instances.deleteServerlessInstance(ctx, principal, params.groupId!, params.instanceName!);
      return { status: 202, body: {} };
    },
    { v2Only: true },
  );

  r.post(
    ENDPOINTS,
    async ({ ctx, principal, params, body }) => ({
      status: 201,
      body: serverlessEndpointJson(await endpoints.createServerlessEndpoint(ctx, principal, params.groupId!, params.instanceName!, body)),
    }),
    write,
  );
  r.get(ENDPOINTS, async ({ ctx, principal, params }) => ({
    status: 200,
    body: (await endpoints.listServerlessEndpoints(ctx, principal, params.groupId!, params.instanceName!)).map(serverlessEndpointJson),
  }));
  r.get(ENDPOINT, async ({ ctx, principal, params }) => ({
    status: 200,
    body: serverlessEndpointJson(await endpoints.getServerlessEndpoint(ctx, principal, params.groupId!, params.instanceName!, params.serverlessEndpointId!)),
  }));
  r.patch(
    ENDPOINT,
    async ({ ctx, principal, params, body }) => ({
      status: 200,
      body: serverlessEndpointJson(await endpoints.updateServerlessEndpoint(ctx, principal, params.groupId!, params.instanceName!, params.serverlessEndpointId!, body)),
    }),
    write,
  );
  r.delete(ENDPOINT, async ({ ctx, principal, params }) => {
    await endpoints.deleteServerlessEndpoint(ctx, principal, params.groupId!, params.instanceName!, params.serverlessEndpointId!);
    return { status: 204 };
  });
}
