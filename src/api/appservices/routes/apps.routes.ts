import { createApp, deleteApp, getApp, getServiceConfig, listApps, listServices, migrateApp, updateServiceConfig } from '../../../app/appservices-apps.service.js';
import { APP_PRODUCTS, APP_REGIONS, type AppProduct } from '../../../domain/appservices-app.js';
import { apiError } from '../../../domain/errors.js';
import { projectAccess } from '../../route-access.js';
import type { AppServicesRegistrar } from '../route-registrar.js';
import { appBody, dataSourceBody, dataSourceConfigBody } from '../serializers.js';

const APP = '/groups/:groupId/apps/:appId';

/** Apps, their deployment migration, their linked data source, and the deployment regions. */
export function appsRoutes(routes: AppServicesRegistrar): void {
  routes.route('GET', '/provider_regions', async () => ({
    status: 200,
    body: APP_REGIONS.map((r) => ({ id: r.id, name: r.name, cloud_provider: r.cloud, country: r.country, deployment_models: r.models })),
  }));
  routes.route('GET', '/groups/:groupId/apps', async ({ ctx, principal, params, query }) => {
    const products = (query.product ?? '').split(',').filter((p) => p.length > 0);
    for (const product of products) if (!(APP_PRODUCTS as readonly string[]).includes(product)) throw apiError('APP_INVALID_FIELD', 'product', product);
    return { status: 200, body: (await listApps(ctx, principal, params.groupId!, products)).map(appBody) };
  });
  routes.route(
    'POST',
    '/groups/:groupId/apps',
    async ({ ctx, principal, params, query, body }) => {
      const product = query.product ?? 'standard';
      if (!(APP_PRODUCTS as readonly string[]).includes(product)) throw apiError('APP_INVALID_FIELD', 'product', product);
      return { status: 201, body: appBody(await createApp(ctx, principal, params.groupId!, body, product as AppProduct)) };
    },
    { access: projectAccess('write') },
  );
  routes.route('GET', APP, async ({ ctx, principal, params }) => ({ status: 200, body: appBody(await getApp(ctx, principal, params.groupId!, params.appId!)) }));
  routes.route('DELETE', APP, async ({ ctx, principal, params }) => {
    await deleteApp(ctx, principal, params.groupId!, params.appId!);
    return { status: 204 };
  });
  routes.route(
    'PUT',
    `${APP}/deployment_migration`,
    async ({ ctx, principal, params, body }) => {
      await migrateApp(ctx, principal, params.groupId!, params.appId!, body);
      return { status: 204 };
    },
    { access: projectAccess('write') },
  );
  routes.route('GET', `${APP}/services`, async ({ ctx, principal, params }) => ({
    status: 200,
    body: [dataSourceBody(await listServices(ctx, principal, params.groupId!, params.appId!))],
  }));
  routes.route('GET', `${APP}/services/:serviceId/config`, async ({ ctx, principal, params }) => ({
    status: 200,
    body: dataSourceConfigBody(await getServiceConfig(ctx, principal, params.groupId!, params.appId!, params.serviceId!)),
  }));
  routes.route(
    'PATCH',
    `${APP}/services/:serviceId/config`,
    async ({ ctx, principal, params, body }) => {
      await updateServiceConfig(ctx, principal, params.groupId!, params.appId!, params.serviceId!, body);
      return { status: 204 };
    },
    { access: projectAccess('write') },
  );
}
