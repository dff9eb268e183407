import { randomInt } from 'node:crypto';
import { ALLOW_ALL_ADDRESS } from '../domain/appservices-access-list.js';
import { clientAppIdOf, privateEndpointRefusal, type AppProduct, type AppRecord, type DeploymentModel } from '../domain/appservices-app.js';
import { parseAppCreate, parseMigration, parseServiceConfig } from '../domain/appservices-input.js';
import { APP_ENDPOINT_TYPES } from '../domain/appservices-endpoint.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { APPSERVICES_ENDPOINT_SERVICE_WORK } from '../domain/work-kinds.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext, type UnitOfWork } from './app-context.js';

/** Apps of a project (`GET /groups/{groupId}/apps`, any project role), optionally of some products. */
export async function listApps(ctx: AppContext, principal: Principal, projectId: string, products: readonly string[]): Promise<AppRecord[]> {
  await requireProject(reader(ctx), principal, projectId, 'read');
  const apps = await reader(ctx).appServicesApps.listByProject(projectId);
  const wanted = products.length > 0 ? products : ['standard'];
  return apps.filter((app) => wanted.includes(app.product));
}

/** One app (any project role); another project's or a missing app → 404 AppNotFound. */
export async function getApp(ctx: AppContext, principal: Principal, projectId: string, appId: string): Promise<AppRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return findApp(repos, projectId, appId);
}

export async function findApp(repos: Repositories, projectId: string, appId: string, options: { lock?: boolean } = {}): Promise<AppRecord> {
  const app = options.lock ? await repos.appServicesApps.lockById(projectId, appId) : await repos.appServicesApps.findById(projectId, appId);
  if (!app) throw apiError('APP_NOT_FOUND');
  return app;
}

/**
 * Creates an app (Project Owner): `POST /groups/{groupId}/apps` → 201. An app deployed LOCAL to
 * an AWS region gets the project's App Services endpoint services of that region (general and
 * sync), made by the reconciler, so its service infos are there when the user asks.
 */
export async function createApp(ctx: AppContext, principal: Principal, projectId: string, body: unknown, product: AppProduct): Promise<AppRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const input = parseAppCreate(body);
  const now = ctx.now();
  return inTransaction(ctx, async (uow) => {
    await requireProject(uow.repos, principal, projectId, 'write', { lock: true });
    if (await uow.repos.appServicesApps.findByName(projectId, input.name)) throw apiError('APP_ALREADY_EXISTS', input.name, projectId);
    const app: AppRecord = {
      id: newObjectId(now),
      projectId,
      name: input.name,
      clientAppId: clientAppIdOf(input.name, randomLetters(5)),
      deploymentModel: input.deploymentModel,
      providerRegion: input.region.id,
      location: input.region.location,
      environment: input.environment,
      product,
      allowNonVpcClientRequests: false,
      dataSourceId: newObjectId(now),
      dataSource: {
        name: input.dataSource?.name ?? 'mongodb-atlas',
        type: 'mongodb-atlas',
        config: {
          clusterName: input.dataSource?.clusterName ?? 'Cluster0',
          readPreference: input.dataSource?.readPreference ?? 'primary',
          wireProtocolEnabled: input.dataSource?.wireProtocolEnabled ?? false,
        },
      },
      createdAt: now,
      updatedAt: now,
    };
    await uow.repos.appServicesApps.insert(app);
    // App Services: "any newly-created App allows access from any client IP by adding an access list entry for 0.0.0.0/0".
    await uow.repos.appServicesAccessList.insert({ id: newObjectId(now), projectId, appId: app.id, address: ALLOW_ALL_ADDRESS, comment: null, createdAt: now });
    await ensureServices(uow, app, now);
    return app;
  });
}

/** Deletes an app (Project Owner) → 204; its private endpoints' connections are rejected by the reconciler. */
export async function deleteApp(ctx: AppContext, principal: Principal, projectId: string, appId: string): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const now = ctx.now();
  await inTransaction(ctx, async (uow) => {
    await requireProject(uow.repos, principal, projectId, 'write', { lock: true });
    const app = await findApp(uow.repos, projectId, appId, { lock: true });
    await uow.repos.appServicesEndpoints.requestDeleteByApp(app.id, now);
    await uow.repos.appServicesApps.delete(app.id);
    await releaseServices(uow, projectId, app.providerRegion, now);
  });
}

/**
 * `PUT …/deployment_migration` (Project Owner) → 204: moves the app to another deployment model or
 * region at once. App Services: "If you change your deployment model, then you must create new
 * Private Endpoints for the App's new region." The app's endpoints become INVALIDATED (they say
 * why), their connections are rejected; the new region's endpoint services are made.
 */
export async function migrateApp(ctx: AppContext, principal: Principal, projectId: string, appId: string, body: unknown): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const target = parseMigration(body);
  const now = ctx.now();
  await inTransaction(ctx, async (uow) => {
    await requireProject(uow.repos, principal, projectId, 'write', { lock: true });
    const app = await findApp(uow.repos, projectId, appId, { lock: true });
    if (app.deploymentModel === target.deploymentModel && app.providerRegion === target.region.id) {
      throw apiError('APP_DEPLOYMENT_MIGRATION_NO_OP', app.deploymentModel, app.providerRegion);
    }
    await uow.repos.appServicesApps.update(app.id, { deploymentModel: target.deploymentModel, providerRegion: target.region.id, location: target.region.location }, now);
    const message = `The app's deployment changed from ${describe(app.deploymentModel, app.providerRegion)} to ${describe(target.deploymentModel, target.region.id)}; this endpoint no longer serves the app. Create new private endpoints for the app's new region.`;
    for (const endpoint of await uow.repos.appServicesEndpoints.listByApp(app.id)) {
      if (endpoint.status === 'INVALIDATED') continue;
      await uow.repos.appServicesEndpoints.updateEndpoint(endpoint.id, { status: 'INVALIDATED', statusMessage: message }, now);
    }
    await releaseServices(uow, projectId, app.providerRegion, now);
    await ensureServices(uow, { ...app, deploymentModel: target.deploymentModel, providerRegion: target.region.id }, now);
  });
}

function describe(model: DeploymentModel, region: string): string {
  return `${model} in ${region}`;
}

/** The app's data sources (`GET …/services`): its one linked `mongodb-atlas` cluster. */
export async function listServices(ctx: AppContext, principal: Principal, projectId: string, appId: string): Promise<AppRecord> {
  return getApp(ctx, principal, projectId, appId);
}

/** The data source `serviceId` of the app, or 404. */
export async function getServiceConfig(ctx: AppContext, principal: Principal, projectId: string, appId: string, serviceId: string): Promise<AppRecord> {
  const app = await getApp(ctx, principal, projectId, appId);
  if (app.dataSourceId !== serviceId) throw apiError('APP_SERVICE_NOT_FOUND', serviceId);
  return app;
}

/**
 * `PATCH …/services/{serviceId}/config` (Project Owner) → 204. App Services: "You can't
 * simultaneously use Private Endpoints and allow connections over the MongoDB wire protocol": turning
 * `wireProtocolEnabled` on while the app has private endpoints → 400.
 */
export async function updateServiceConfig(ctx: AppContext, principal: Principal, projectId: string, appId: string, serviceId: string, body: unknown): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const changes = parseServiceConfig(body);
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos }) => {
    const app = await findApp(repos, projectId, appId, { lock: true });
    if (app.dataSourceId !== serviceId) throw apiError('APP_SERVICE_NOT_FOUND', serviceId);
    if (changes.wireProtocolEnabled === true && (await repos.appServicesEndpoints.listByApp(app.id)).some((e) => e.status !== 'INVALIDATED')) {
      throw apiError('APP_WIRE_PROTOCOL_PRIVATE_ENDPOINTS');
    }
    await repos.appServicesApps.update(app.id, { dataSource: { ...app.dataSource, config: { ...app.dataSource.config, ...changes } } }, now);
  });
}

/** Makes sure the app's region has its general and sync endpoint services (AWS LOCAL apps only). */
async function ensureServices(uow: UnitOfWork, app: Pick<AppRecord, 'projectId' | 'deploymentModel' | 'providerRegion'>, now: Date): Promise<void> {
  if (privateEndpointRefusal(app)) return;
  for (const type of APP_ENDPOINT_TYPES) {
    const { id, changed } = await uow.repos.appServicesEndpoints.ensureService(app.projectId, app.providerRegion, type, newObjectId(now), now);
    if (changed) await uow.enqueue(APPSERVICES_ENDPOINT_SERVICE_WORK, id);
  }
}

/** Once no app of the project is deployed LOCAL in the region, its endpoint services go; either way they re-check their connections. */
async function releaseServices(uow: UnitOfWork, projectId: string, providerRegion: string, now: Date): Promise<void> {
  const inUse = await uow.repos.appServicesApps.regionInUse(projectId, providerRegion);
  for (const service of await uow.repos.appServicesEndpoints.listServices(projectId, providerRegion)) {
    if (!inUse && !service.deleteRequested) await uow.repos.appServicesEndpoints.updateService(service.id, { deleteRequested: true, status: 'DELETING' }, now);
    await uow.enqueue(APPSERVICES_ENDPOINT_SERVICE_WORK, service.id);
  }
}

function randomLetters(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += String.fromCharCode(97 + randomInt(26));
  return text;
}
