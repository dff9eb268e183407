import type { ServiceDetail } from '../domain/endpoint-service.js';
import type { ServerlessEndpointProvider, ServerlessEndpointRecord, ServerlessEndpointStatus } from '../domain/serverless-endpoint.js';
import type { Executor } from './database.js';

type EndpointRow = {
  id: string;
  project_id: string;
  instance_id: string;
  provider: string;
  region_name: string;
  status: string;
  comment: string | null;
  error_message: string | null;
  endpoint_service_name: string | null;
  service_detail: unknown;
  cloud_provider_endpoint_id: string | null;
  private_endpoint_ip_address: string | null;
  initiated_at: Date | null;
  pe_index: number;
  delete_requested: boolean;
  provider_ref: unknown;
  created_at: Date;
  updated_at: Date;
};

/** What a reconcile pass or a use case may change of a serverless private endpoint. */
export interface ServerlessEndpointChanges {
  status?: ServerlessEndpointStatus;
  comment?: string | null;
  errorMessage?: string | null;
  endpointServiceName?: string | null;
  serviceDetail?: ServiceDetail;
  cloudProviderEndpointId?: string | null;
  privateEndpointIpAddress?: string | null;
  initiatedAt?: Date | null;
  deleteRequested?: boolean;
  providerRef?: Record<string, unknown>;
}

/** Private endpoints of serverless instances (each with its own reserved endpoint service). */
export class ServerlessEndpointsRepository {
  constructor(private readonly db: Executor) {}

  async findById(id: string): Promise<ServerlessEndpointRecord | undefined> {
    const row = await this.db.selectFrom('serverless_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** Reads the endpoint and locks its row until the transaction ends. */
  async lockById(id: string): Promise<ServerlessEndpointRecord | undefined> {
    const row = await this.db.selectFrom('serverless_endpoints').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** The endpoint registered with this customer endpoint id on this cloud, if any. */
  async findByCloudId(provider: string, cloudProviderEndpointId: string): Promise<ServerlessEndpointRecord | undefined> {
    const row = await this.db
      .selectFrom('serverless_endpoints')
      .selectAll()
      .where('provider', '=', provider)
      .where('cloud_provider_endpoint_id', '=', cloudProviderEndpointId)
      .executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** The endpoints of one instance, oldest first. */
  async listByInstance(instanceId: string): Promise<ServerlessEndpointRecord[]> {
    const rows = await this.db.selectFrom('serverless_endpoints').selectAll().where('instance_id', '=', instanceId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toEndpoint);
  }

  async listByProject(projectId: string): Promise<ServerlessEndpointRecord[]> {
    const rows = await this.db.selectFrom('serverless_endpoints').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toEndpoint);
  }

  async listIds(): Promise<string[]> {
    return (await this.db.selectFrom('serverless_endpoints').select('id').execute()).map((row) => row.id);
  }

  async insert(endpoint: ServerlessEndpointRecord): Promise<void> {
    await this.db
      .insertInto('serverless_endpoints')
      .values({
        id: endpoint.id,
        project_id: endpoint.projectId,
        instance_id: endpoint.instanceId,
        provider: endpoint.provider,
        region_name: endpoint.regionName,
        status: endpoint.status,
        comment: endpoint.comment,
        error_message: endpoint.errorMessage,
        endpoint_service_name: endpoint.endpointServiceName,
        service_detail: JSON.stringify(endpoint.serviceDetail),
        cloud_provider_endpoint_id: endpoint.cloudProviderEndpointId,
        private_endpoint_ip_address: endpoint.privateEndpointIpAddress,
        initiated_at: endpoint.initiatedAt,
        pe_index: endpoint.peIndex,
        delete_requested: endpoint.deleteRequested,
        provider_ref: JSON.stringify(endpoint.providerRef),
        created_at: endpoint.createdAt,
        updated_at: endpoint.updatedAt,
      })
      .execute();
  }

  async update(id: string, changes: ServerlessEndpointChanges, now: Date): Promise<void> {
    await this.db
      .updateTable('serverless_endpoints')
      .set({
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.comment !== undefined ? { comment: changes.comment } : {}),
        ...(changes.errorMessage !== undefined ? { error_message: changes.errorMessage } : {}),
        ...(changes.endpointServiceName !== undefined ? { endpoint_service_name: changes.endpointServiceName } : {}),
        ...(changes.serviceDetail !== undefined ? { service_detail: JSON.stringify(changes.serviceDetail) } : {}),
        ...(changes.cloudProviderEndpointId !== undefined ? { cloud_provider_endpoint_id: changes.cloudProviderEndpointId } : {}),
        ...(changes.privateEndpointIpAddress !== undefined ? { private_endpoint_ip_address: changes.privateEndpointIpAddress } : {}),
        ...(changes.initiatedAt !== undefined ? { initiated_at: changes.initiatedAt } : {}),
        ...(changes.deleteRequested !== undefined ? { delete_requested: changes.deleteRequested } : {}),
        ...(changes.providerRef !== undefined ? { provider_ref: JSON.stringify(changes.providerRef) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('serverless_endpoints').where('id', '=', id).execute();
  }
}

function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toEndpoint(row: EndpointRow): ServerlessEndpointRecord {
  const detail = json(row.service_detail) as Partial<ServiceDetail> | null;
  const provider = row.provider as ServerlessEndpointProvider;
  return {
    id: row.id,
    projectId: row.project_id,
    instanceId: row.instance_id,
    provider,
    regionName: row.region_name,
    status: row.status as ServerlessEndpointStatus,
    comment: row.comment,
    errorMessage: row.error_message,
    endpointServiceName: row.endpoint_service_name,
    serviceDetail: detail && 'cloud' in detail ? (detail as ServiceDetail) : provider === 'AZURE' ? { cloud: 'AZURE', privateLinkServiceResourceId: null } : { cloud: 'AWS' },
    cloudProviderEndpointId: row.cloud_provider_endpoint_id,
    privateEndpointIpAddress: row.private_endpoint_ip_address,
    initiatedAt: row.initiated_at,
    peIndex: row.pe_index,
    deleteRequested: row.delete_requested,
    providerRef: (json(row.provider_ref) ?? {}) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
