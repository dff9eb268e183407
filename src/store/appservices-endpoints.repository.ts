import type { AppEndpointRecord, AppEndpointServiceRecord, AppEndpointStatus, AppEndpointType } from '../domain/appservices-endpoint.js';
import type { EndpointServiceStatus } from '../domain/endpoint-service.js';

export type { AppEndpointServiceRecord } from '../domain/appservices-endpoint.js';
import type { Executor } from './database.js';

type ServiceRow = {
  id: string;
  project_id: string;
  provider_region: string;
  endpoint_type: string;
  status: string;
  error_message: string | null;
  service_name: string | null;
  delete_requested: boolean;
  provider_ref: unknown;
  created_at: Date;
};

type EndpointRow = {
  id: string;
  project_id: string;
  app_id: string;
  endpoint_type: string;
  cloud_provider_region: string;
  cloud_provider_endpoint_id: string;
  comment: string | null;
  status: string;
  status_message: string | null;
  delete_requested: boolean;
  created_at: Date;
};

/** App Services endpoint services and the apps' private endpoints. */
export class AppServicesEndpointsRepository {
  constructor(private readonly db: Executor) {}

  // --- endpoint services

  /**
   * Makes sure the service of (project, region, type) exists; returns its id and whether anything
   * changed (so the caller enqueues it). A service being deleted is left to finish (its cloud
   * resources may already be gone, and the idempotency tokens of their creation spent): its
   * successor is made when the reconciler forgets it, if an app still needs the region.
   */
  async ensureService(projectId: string, providerRegion: string, endpointType: AppEndpointType, id: string, now: Date): Promise<{ id: string; changed: boolean }> {
    const existing = await this.db
      .selectFrom('appservices_endpoint_services')
      .select(['id', 'delete_requested'])
      .where('project_id', '=', projectId)
      .where('provider_region', '=', providerRegion)
      .where('endpoint_type', '=', endpointType)
      .forUpdate()
      .executeTakeFirst();
    if (existing) {
      return { id: existing.id, changed: existing.delete_requested };
    }
    await this.db
      .insertInto('appservices_endpoint_services')
      .values({
        id,
        project_id: projectId,
        provider_region: providerRegion,
        endpoint_type: endpointType,
        status: 'INITIATING',
        error_message: null,
        service_name: null,
        provider_ref: '{}',
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id, changed: true };
  }

  async findService(id: string): Promise<AppEndpointServiceRecord | undefined> {
    const row = await this.db.selectFrom('appservices_endpoint_services').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toService(row);
  }

  async lockService(id: string): Promise<AppEndpointServiceRecord | undefined> {
    const row = await this.db.selectFrom('appservices_endpoint_services').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toService(row);
  }

  /** The services of a project in one region (live or being deleted). */
  async listServices(projectId: string, providerRegion: string): Promise<AppEndpointServiceRecord[]> {
    const rows = await this.db
      .selectFrom('appservices_endpoint_services')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('provider_region', '=', providerRegion)
      .orderBy('endpoint_type')
      .execute();
    return rows.map(toService);
  }

  /** Every service (for the front end's listeners and the traffic check). */
  async listAllServices(): Promise<AppEndpointServiceRecord[]> {
    return (await this.db.selectFrom('appservices_endpoint_services').selectAll().orderBy('id').execute()).map(toService);
  }

  async listServiceIds(): Promise<string[]> {
    return (await this.db.selectFrom('appservices_endpoint_services').select('id').execute()).map((row) => row.id);
  }

  async updateService(
    id: string,
    changes: { status?: EndpointServiceStatus; errorMessage?: string | null; serviceName?: string | null; deleteRequested?: boolean; providerRef?: Record<string, unknown> },
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable('appservices_endpoint_services')
      .set({
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.errorMessage !== undefined ? { error_message: changes.errorMessage } : {}),
        ...(changes.serviceName !== undefined ? { service_name: changes.serviceName } : {}),
        ...(changes.deleteRequested !== undefined ? { delete_requested: changes.deleteRequested } : {}),
        ...(changes.providerRef !== undefined ? { provider_ref: JSON.stringify(changes.providerRef) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteService(id: string): Promise<void> {
    await this.db.deleteFrom('appservices_endpoint_services').where('id', '=', id).execute();
  }

  // --- private endpoints

  async insertEndpoint(endpoint: AppEndpointRecord): Promise<void> {
    await this.db
      .insertInto('appservices_private_endpoints')
      .values({
        id: endpoint.id,
        project_id: endpoint.projectId,
        app_id: endpoint.appId,
        endpoint_type: endpoint.endpointType,
        cloud_provider_region: endpoint.cloudProviderRegion,
        cloud_provider_endpoint_id: endpoint.cloudProviderEndpointId,
        comment: endpoint.comment,
        status: endpoint.status,
        status_message: endpoint.statusMessage,
        delete_requested: endpoint.deleteRequested,
        created_at: endpoint.createdAt,
        updated_at: endpoint.createdAt,
      })
      .execute();
  }

  /** An app's endpoint that is not being deleted. */
  async findEndpoint(appId: string, id: string): Promise<AppEndpointRecord | undefined> {
    const row = await this.db
      .selectFrom('appservices_private_endpoints')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .where('delete_requested', '=', false)
      .executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** The live endpoint registered with `vpce` (any app), if any. */
  async findByCloudId(vpce: string): Promise<AppEndpointRecord | undefined> {
    const row = await this.db
      .selectFrom('appservices_private_endpoints')
      .selectAll()
      .where('cloud_provider_endpoint_id', '=', vpce)
      .where('delete_requested', '=', false)
      .executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** An app's endpoints that are not being deleted, oldest first. */
  async listByApp(appId: string): Promise<AppEndpointRecord[]> {
    const rows = await this.db
      .selectFrom('appservices_private_endpoints')
      .selectAll()
      .where('app_id', '=', appId)
      .where('delete_requested', '=', false)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toEndpoint);
  }

  /** Every endpoint (deleted ones included, until their connection is rejected) of one project, region and type: the service's reconcile set. */
  async listForService(projectId: string, providerRegion: string, endpointType: AppEndpointType): Promise<AppEndpointRecord[]> {
    const rows = await this.db
      .selectFrom('appservices_private_endpoints')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('cloud_provider_region', '=', providerRegion)
      .where('endpoint_type', '=', endpointType)
      .orderBy('id')
      .execute();
    return rows.map(toEndpoint);
  }

  async updateEndpoint(
    id: string,
    changes: { status?: AppEndpointStatus; statusMessage?: string | null; comment?: string | null; cloudProviderEndpointId?: string; deleteRequested?: boolean },
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable('appservices_private_endpoints')
      .set({
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.statusMessage !== undefined ? { status_message: changes.statusMessage } : {}),
        ...(changes.comment !== undefined ? { comment: changes.comment } : {}),
        ...(changes.cloudProviderEndpointId !== undefined ? { cloud_provider_endpoint_id: changes.cloudProviderEndpointId } : {}),
        ...(changes.deleteRequested !== undefined ? { delete_requested: changes.deleteRequested } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Marks every live endpoint of an app deleted (its connections are rejected by the reconciler); returns them. */
  async requestDeleteByApp(appId: string, now: Date): Promise<AppEndpointRecord[]> {
    const live = await this.listByApp(appId);
    await this.db.updateTable('appservices_private_endpoints').set({ delete_requested: true, updated_at: now }).where('app_id', '=', appId).execute();
    return live;
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.db.deleteFrom('appservices_private_endpoints').where('id', '=', id).execute();
  }
}

function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toService(row: ServiceRow): AppEndpointServiceRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    providerRegion: row.provider_region,
    endpointType: row.endpoint_type as AppEndpointType,
    status: row.status as EndpointServiceStatus,
    errorMessage: row.error_message,
    serviceName: row.service_name,
    deleteRequested: row.delete_requested,
    providerRef: (json(row.provider_ref) ?? {}) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

function toEndpoint(row: EndpointRow): AppEndpointRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    appId: row.app_id,
    endpointType: row.endpoint_type as AppEndpointType,
    cloudProviderRegion: row.cloud_provider_region,
    cloudProviderEndpointId: row.cloud_provider_endpoint_id,
    comment: row.comment,
    status: row.status as AppEndpointStatus,
    statusMessage: row.status_message,
    deleteRequested: row.delete_requested,
    createdAt: row.created_at,
  };
}
