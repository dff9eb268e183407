import { sql } from 'kysely';
import { emptyServiceDetail, type EndpointService, type EndpointServiceStatus, type ServiceDetail } from '../domain/endpoint-service.js';
import type { ConnectionStatus, EndpointDetail, InterfaceEndpointRecord } from '../domain/interface-endpoint.js';
import type { CloudProvider } from '../domain/regions.js';
import type { Executor } from './database.js';

/** A stored endpoint service with the provider's references (see providers/cloud-provider.ts). */
export interface EndpointServiceRecord extends EndpointService {
  readonly providerRef: Readonly<Record<string, unknown>>;
}

type ServiceRow = {
  id: string;
  project_id: string;
  provider: string;
  region_name: string;
  status: string;
  error_message: string | null;
  endpoint_service_name: string | null;
  delete_requested: boolean;
  provider_ref: unknown;
  provider_detail: unknown;
  created_at: Date;
};

type EndpointRow = {
  endpoint_service_id: string;
  endpoint_id: string;
  project_id: string;
  provider: string;
  region_name: string;
  status: string;
  error_message: string | null;
  delete_requested: boolean;
  pl_index: number;
  dns_names: unknown;
  provider_detail: unknown;
  created_at: Date;
};

/** Endpoint services and their interface endpoints. */
export class PrivateEndpointsRepository {
  constructor(private readonly db: Executor) {}

  async findService(id: string): Promise<EndpointServiceRecord | undefined> {
    const row = await this.db.selectFrom('endpoint_services').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toService(row);
  }

  /** Reads the service and locks its row until the transaction ends (a reconcile pass publishing its status vs. an API delete). */
  async lockService(id: string): Promise<EndpointServiceRecord | undefined> {
    const row = await this.db.selectFrom('endpoint_services').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toService(row);
  }

  async findServiceByRegion(projectId: string, provider: CloudProvider, regionName: string): Promise<EndpointServiceRecord | undefined> {
    const row = await this.db
      .selectFrom('endpoint_services')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('provider', '=', provider)
      .where('region_name', '=', regionName)
      .executeTakeFirst();
    return row && toService(row);
  }

  async listServices(projectId: string, provider?: CloudProvider): Promise<EndpointServiceRecord[]> {
    let query = this.db.selectFrom('endpoint_services').selectAll().where('project_id', '=', projectId);
    if (provider) query = query.where('provider', '=', provider);
    return (await query.orderBy('created_at').orderBy('id').execute()).map(toService);
  }

  async listAllServiceIds(): Promise<string[]> {
    return (await this.db.selectFrom('endpoint_services').select('id').execute()).map((row) => row.id);
  }

  async insertService(service: EndpointServiceRecord): Promise<void> {
    await this.db
      .insertInto('endpoint_services')
      .values({
        id: service.id,
        project_id: service.projectId,
        provider: service.provider,
        region_name: service.regionName,
        status: service.status,
        error_message: service.errorMessage,
        endpoint_service_name: service.endpointServiceName,
        delete_requested: service.deleteRequested,
        provider_ref: JSON.stringify(service.providerRef),
        provider_detail: JSON.stringify(service.detail),
        created_at: service.createdAt,
        updated_at: service.createdAt,
      })
      .execute();
  }

  async updateService(
    id: string,
    changes: {
      status?: EndpointServiceStatus;
      errorMessage?: string | null;
      endpointServiceName?: string | null;
      deleteRequested?: boolean;
      providerRef?: Record<string, unknown>;
      detail?: ServiceDetail;
    },
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable('endpoint_services')
      .set({
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.errorMessage !== undefined ? { error_message: changes.errorMessage } : {}),
        ...(changes.endpointServiceName !== undefined ? { endpoint_service_name: changes.endpointServiceName } : {}),
        ...(changes.deleteRequested !== undefined ? { delete_requested: changes.deleteRequested } : {}),
        ...(changes.providerRef !== undefined ? { provider_ref: JSON.stringify(changes.providerRef) } : {}),
        ...(changes.detail !== undefined ? { provider_detail: JSON.stringify(changes.detail) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async deleteService(id: string): Promise<void> {
    await this.db.deleteFrom('interface_endpoints').where('endpoint_service_id', '=', id).execute();
    await this.db.deleteFrom('endpoint_services').where('id', '=', id).execute();
  }

  async countServices(projectId: string): Promise<number> {
    const row = await this.db
      .selectFrom('endpoint_services')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findEndpoint(serviceId: string, endpointId: string): Promise<InterfaceEndpointRecord | undefined> {
    const row = await this.db.selectFrom('interface_endpoints').selectAll().where('endpoint_service_id', '=', serviceId).where('endpoint_id', '=', endpointId).executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** Reads the endpoint and locks its row until the transaction ends. */
  async lockEndpoint(serviceId: string, endpointId: string): Promise<InterfaceEndpointRecord | undefined> {
    const row = await this.db
      .selectFrom('interface_endpoints')
      .selectAll()
      .where('endpoint_service_id', '=', serviceId)
      .where('endpoint_id', '=', endpointId)
      .forUpdate()
      .executeTakeFirst();
    return row && toEndpoint(row);
  }

  /**
   * What is registered under a customer endpoint id on a cloud, in one statement: the interface
   * endpoint and the serverless private endpoint (at most one each), with what a change of that
   * endpoint is decided on.
   */
  async registrationsOfCloudEndpoint(provider: CloudProvider, endpointId: string): Promise<CloudEndpointRegistrations> {
    const rows = await this.db
      .selectFrom('interface_endpoints')
      .select([sql<RegistrationKind>`'interface'`.as('kind'), 'endpoint_service_id as owner', 'status', 'delete_requested'])
      .where('provider', '=', provider)
      .where('endpoint_id', '=', endpointId)
      .unionAll((eb) =>
        eb
          .selectFrom('serverless_endpoints')
          .select([sql<RegistrationKind>`'serverless'`.as('kind'), 'id as owner', 'status', 'delete_requested'])
          .where('provider', '=', provider)
          .where('cloud_provider_endpoint_id', '=', endpointId),
      )
      .execute();
    const state = (row: (typeof rows)[number]) => ({ status: row.status, deleteRequested: row.delete_requested });
    const registrations: { interfaceEndpoint?: CloudEndpointRegistrations['interfaceEndpoint']; serverless?: CloudEndpointRegistrations['serverless'] } = {};
    for (const row of rows) {
      if (row.kind === 'interface') registrations.interfaceEndpoint = { ...state(row), endpointServiceId: row.owner };
      else registrations.serverless = { ...state(row), id: row.owner };
    }
    return registrations;
  }

  async findEndpointAnywhere(provider: CloudProvider, endpointId: string): Promise<InterfaceEndpointRecord | undefined> {
    const row = await this.db.selectFrom('interface_endpoints').selectAll().where('provider', '=', provider).where('endpoint_id', '=', endpointId).executeTakeFirst();
    return row && toEndpoint(row);
  }

  async listEndpoints(serviceId: string): Promise<InterfaceEndpointRecord[]> {
    const rows = await this.db.selectFrom('interface_endpoints').selectAll().where('endpoint_service_id', '=', serviceId).orderBy('created_at').orderBy('endpoint_id').execute();
    return rows.map(toEndpoint);
  }

  async listProjectEndpoints(projectId: string, provider?: CloudProvider): Promise<InterfaceEndpointRecord[]> {
    let query = this.db.selectFrom('interface_endpoints').selectAll().where('project_id', '=', projectId);
    if (provider) query = query.where('provider', '=', provider);
    return (await query.orderBy('created_at').orderBy('endpoint_id').execute()).map(toEndpoint);
  }

  async listAllEndpointKeys(): Promise<Array<{ serviceId: string; endpointId: string }>> {
    const rows = await this.db.selectFrom('interface_endpoints').select(['endpoint_service_id', 'endpoint_id']).execute();
    return rows.map((row) => ({ serviceId: row.endpoint_service_id, endpointId: row.endpoint_id }));
  }

  async insertEndpoint(endpoint: InterfaceEndpointRecord): Promise<void> {
    await this.db
      .insertInto('interface_endpoints')
      .values({
        endpoint_service_id: endpoint.endpointServiceId,
        endpoint_id: endpoint.endpointId,
        project_id: endpoint.projectId,
        provider: endpoint.provider,
        region_name: endpoint.regionName,
        status: endpoint.status,
        error_message: endpoint.errorMessage,
        delete_requested: endpoint.deleteRequested,
        pl_index: endpoint.plIndex,
        dns_names: JSON.stringify(endpoint.dnsNames),
        provider_detail: JSON.stringify(endpoint.detail),
        created_at: endpoint.createdAt,
        updated_at: endpoint.createdAt,
      })
      .execute();
  }

  async updateEndpoint(
    serviceId: string,
    endpointId: string,
    changes: { status?: ConnectionStatus; errorMessage?: string | null; deleteRequested?: boolean; dnsNames?: readonly string[]; detail?: EndpointDetail },
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable('interface_endpoints')
      .set({
        ...(changes.dnsNames !== undefined ? { dns_names: JSON.stringify(changes.dnsNames) } : {}),
        ...(changes.detail !== undefined ? { provider_detail: JSON.stringify(changes.detail) } : {}),
        ...(changes.status !== undefined ? { status: changes.status } : {}),
        ...(changes.errorMessage !== undefined ? { error_message: changes.errorMessage } : {}),
        ...(changes.deleteRequested !== undefined ? { delete_requested: changes.deleteRequested } : {}),
        updated_at: now,
      })
      .where('endpoint_service_id', '=', serviceId)
      .where('endpoint_id', '=', endpointId)
      .execute();
  }

  async deleteEndpoint(serviceId: string, endpointId: string): Promise<void> {
    await this.db.deleteFrom('interface_endpoints').where('endpoint_service_id', '=', serviceId).where('endpoint_id', '=', endpointId).execute();
  }
}

function toService(row: ServiceRow): EndpointServiceRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    provider: row.provider as CloudProvider,
    regionName: row.region_name,
    status: row.status as EndpointServiceStatus,
    errorMessage: row.error_message,
    endpointServiceName: row.endpoint_service_name,
    deleteRequested: row.delete_requested,
    providerRef: (typeof row.provider_ref === 'string' ? JSON.parse(row.provider_ref) : row.provider_ref) as Record<string, unknown>,
    detail: readDetail<ServiceDetail>(row.provider_detail) ?? emptyServiceDetail(row.provider as CloudProvider),
    createdAt: row.created_at,
  };
}

function toEndpoint(row: EndpointRow): InterfaceEndpointRecord {
  return {
    endpointServiceId: row.endpoint_service_id,
    endpointId: row.endpoint_id,
    projectId: row.project_id,
    provider: row.provider as CloudProvider,
    regionName: row.region_name,
    status: row.status as ConnectionStatus,
    errorMessage: row.error_message,
    deleteRequested: row.delete_requested,
    plIndex: row.pl_index,
    dnsNames: (typeof row.dns_names === 'string' ? JSON.parse(row.dns_names) : row.dns_names) as string[],
    detail: readDetail<EndpointDetail>(row.provider_detail) ?? { cloud: 'AWS' },
    createdAt: row.created_at,
  };
}

/** A typed detail column: undefined for `{}` (rows written before the column, all AWS). */
function readDetail<T extends { cloud: string }>(value: unknown): T | undefined {
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<T> | null;
  return parsed && typeof parsed.cloud === 'string' ? (parsed as T) : undefined;
}

type RegistrationKind = 'interface' | 'serverless';

/** A registration's status and whether its deletion was asked for. */
export interface RegistrationState {
  readonly status: string;
  readonly deleteRequested: boolean;
}

/** What is registered under one customer endpoint id on one cloud (registrationsOfCloudEndpoint). */
export interface CloudEndpointRegistrations {
  readonly interfaceEndpoint?: RegistrationState & { readonly endpointServiceId: string };
  readonly serverless?: RegistrationState & { readonly id: string };
}
