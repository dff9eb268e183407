import { sql } from 'kysely';
import type { EndpointService, EndpointState, ServicePermission, ServiceState, Tag, VpcEndpoint } from '../model.js';
import type { TimedState } from '../../common/transitions.js';
import type { SeqWindow } from '../seq-pages.js';
import { inWindow, json, type LcExecutor } from './schema.js';

type Insert<T> = Omit<T, 'seq'>;

/** Endpoint services (provider side), their permissions, and VPC endpoints (consumer side). */
export class EndpointsRepository {
  constructor(private readonly db: LcExecutor) {}

  /**
   * The account's services in the region, in creation order; with `onlyIds`, just those among them
   * (one indexed read); with a window, only its rows (a page: by the index on owner and seq).
   */
  async listServices(accountId: string, region: string, onlyIds?: readonly string[], window?: SeqWindow): Promise<EndpointService[]> {
    if (onlyIds?.length === 0) return [];
    let query = inWindow(this.db.selectFrom('lc_endpoint_services').selectAll().where('account_id', '=', accountId).where('region', '=', region), window);
    if (onlyIds) query = query.where('service_id', 'in', onlyIds);
    return (await query.execute()).map(toService);
  }

  /** Services of every account in a region (consumers discover services they are allowed to use). */
  async listServicesInRegion(region: string): Promise<EndpointService[]> {
    return (await this.db.selectFrom('lc_endpoint_services').selectAll().where('region', '=', region).orderBy('seq').execute()).map(toService);
  }

  /** The region's services with these names (the name is unique: one indexed read), in creation order. */
  async findServicesByName(region: string, names: readonly string[]): Promise<EndpointService[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom('lc_endpoint_services').selectAll().where('service_name', 'in', names).where('region', '=', region).orderBy('seq').execute();
    return rows.map(toService);
  }

  /**
   * The account's services in the region, not `Deleted`, that use any of these load balancers, in
   * creation order (the GIN index on the ARNs finds them, whatever the account holds).
   */
  async servicesUsingLoadBalancers(accountId: string, region: string, loadBalancerArns: readonly string[]): Promise<EndpointService[]> {
    if (loadBalancerArns.length === 0) return [];
    const rows = await this.db
      .selectFrom('lc_endpoint_services')
      .selectAll()
      .where(
        sql<boolean>`(${sql.join(
          loadBalancerArns.map((arn) => sql`load_balancer_arns @> ${json([arn])}::jsonb`),
          sql` or `,
        )})`,
      )
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('state', '<>', 'Deleted')
      .orderBy('seq')
      .execute();
    return rows.map(toService);
  }

  async allServices(): Promise<EndpointService[]> {
    return (await this.db.selectFrom('lc_endpoint_services').selectAll().orderBy('seq').execute()).map(toService);
  }

  async findService(serviceId: string): Promise<EndpointService | undefined> {
    const row = await this.db.selectFrom('lc_endpoint_services').selectAll().where('service_id', '=', serviceId).executeTakeFirst();
    return row && toService(row);
  }

  /** Inserts it and answers it as stored (what a read right after would give). */
  async insertService(service: Insert<EndpointService>): Promise<EndpointService> {
    const row = await this.db
      .insertInto('lc_endpoint_services')
      .values({
        service_id: service.serviceId,
        account_id: service.accountId,
        region: service.region,
        service_name: service.serviceName,
        state: service.state,
        next_state: service.nextState,
        next_state_at: service.nextStateAt,
        available_at: service.availableAt,
        acceptance_required: service.acceptanceRequired,
        load_balancer_arns: json(service.loadBalancerArns),
        private_dns_name: service.privateDnsName,
        supported_ip_address_types: json(service.supportedIpAddressTypes),
        tags: json(service.tags),
        created_at: service.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toService(row);
  }

  async updateServiceTiming(serviceId: string, timing: TimedState, availableAt?: Date | null): Promise<void> {
    await this.db
      .updateTable('lc_endpoint_services')
      .set({
        state: timing.state,
        next_state: timing.nextState,
        next_state_at: timing.nextStateAt,
        ...(availableAt !== undefined ? { available_at: availableAt } : {}),
      })
      .where('service_id', '=', serviceId)
      .execute();
  }

  async deleteService(serviceId: string): Promise<void> {
    await this.db.deleteFrom('lc_endpoint_services').where('service_id', '=', serviceId).execute();
  }

  async listPermissions(serviceId: string): Promise<ServicePermission[]> {
    const rows = await this.db.selectFrom('lc_service_permissions').selectAll().where('service_id', '=', serviceId).orderBy('created_at').orderBy('principal').execute();
    return rows.map(toPermission);
  }

  /** The permissions of these services (one read), in listPermissions' order per service. */
  async permissionsOf(serviceIds: readonly string[]): Promise<ServicePermission[]> {
    if (serviceIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('lc_service_permissions')
      .selectAll()
      .where('service_id', 'in', serviceIds)
      .orderBy('service_id')
      .orderBy('created_at')
      .orderBy('principal')
      .execute();
    return rows.map(toPermission);
  }

  /** The permissions of every service in a region (one read), in listPermissions' order per service. */
  async permissionsInRegion(region: string): Promise<ServicePermission[]> {
    const rows = await this.db
      .selectFrom('lc_service_permissions as p')
      .innerJoin('lc_endpoint_services as s', 's.service_id', 'p.service_id')
      .selectAll('p')
      .where('s.region', '=', region)
      .orderBy('p.service_id')
      .orderBy('p.created_at')
      .orderBy('p.principal')
      .execute();
    return rows.map(toPermission);
  }

  /** Every service's permissions (the data-plane snapshot's one read of them), in listPermissions' order per service. */
  async allPermissions(): Promise<ServicePermission[]> {
    const rows = await this.db.selectFrom('lc_service_permissions').selectAll().orderBy('service_id').orderBy('created_at').orderBy('principal').execute();
    return rows.map(toPermission);
  }

  /** Adds the principal unless present; returns whether it was added. */
  async addPermission(permission: ServicePermission): Promise<boolean> {
    const result = await this.db
      .insertInto('lc_service_permissions')
      .values({ service_id: permission.serviceId, principal: permission.principal, permission_id: permission.permissionId, created_at: permission.createdAt })
      .onConflict((oc) => oc.columns(['service_id', 'principal']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async removePermission(serviceId: string, principal: string): Promise<void> {
    await this.db.deleteFrom('lc_service_permissions').where('service_id', '=', serviceId).where('principal', '=', principal).execute();
  }

  /**
   * The account's VPC endpoints in the region, in creation order; with `onlyIds`, just those among
   * them (one read by the primary key); with a window, only its rows (by the index on owner and seq).
   */
  async listEndpoints(accountId: string, region: string, onlyIds?: readonly string[], window?: SeqWindow): Promise<VpcEndpoint[]> {
    if (onlyIds?.length === 0) return [];
    let query = inWindow(this.db.selectFrom('lc_vpc_endpoints').selectAll().where('account_id', '=', accountId).where('region', '=', region), window);
    if (onlyIds) query = query.where('vpc_endpoint_id', 'in', onlyIds);
    return (await query.execute()).map(toEndpoint);
  }

  async listEndpointsOfServices(serviceIds: readonly string[]): Promise<VpcEndpoint[]> {
    if (serviceIds.length === 0) return [];
    return (await this.db.selectFrom('lc_vpc_endpoints').selectAll().where('service_id', 'in', serviceIds).orderBy('seq').execute()).map(toEndpoint);
  }

  async allEndpoints(): Promise<VpcEndpoint[]> {
    return (await this.db.selectFrom('lc_vpc_endpoints').selectAll().orderBy('seq').execute()).map(toEndpoint);
  }

  async findEndpoint(vpcEndpointId: string): Promise<VpcEndpoint | undefined> {
    const row = await this.db.selectFrom('lc_vpc_endpoints').selectAll().where('vpc_endpoint_id', '=', vpcEndpointId).executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** Inserts it and answers it as stored (what a read right after would give). */
  async insertEndpoint(endpoint: Insert<VpcEndpoint>): Promise<VpcEndpoint> {
    const row = await this.db
      .insertInto('lc_vpc_endpoints')
      .values({
        vpc_endpoint_id: endpoint.vpcEndpointId,
        account_id: endpoint.accountId,
        region: endpoint.region,
        vpc_id: endpoint.vpcId,
        service_id: endpoint.serviceId,
        service_name: endpoint.serviceName,
        endpoint_type: endpoint.endpointType,
        state: endpoint.state,
        next_state: endpoint.nextState,
        next_state_at: endpoint.nextStateAt,
        subnet_ids: json(endpoint.subnetIds),
        security_group_ids: json(endpoint.securityGroupIds),
        dns_suffix: endpoint.dnsSuffix,
        private_dns_enabled: endpoint.privateDnsEnabled,
        ip_address_type: endpoint.ipAddressType,
        tags: json(endpoint.tags),
        created_at: endpoint.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEndpoint(row);
  }

  async updateEndpointTiming(vpcEndpointId: string, timing: TimedState): Promise<void> {
    await this.db
      .updateTable('lc_vpc_endpoints')
      .set({ state: timing.state, next_state: timing.nextState, next_state_at: timing.nextStateAt })
      .where('vpc_endpoint_id', '=', vpcEndpointId)
      .execute();
  }

  /** Replaces an interface endpoint's subnets and security groups (ModifyVpcEndpoint). */
  async updateEndpointNetworking(vpcEndpointId: string, subnetIds: readonly string[], securityGroupIds: readonly string[]): Promise<void> {
    await this.db
      .updateTable('lc_vpc_endpoints')
      .set({ subnet_ids: json(subnetIds), security_group_ids: json(securityGroupIds) })
      .where('vpc_endpoint_id', '=', vpcEndpointId)
      .execute();
  }

  async deleteEndpoint(vpcEndpointId: string): Promise<void> {
    await this.db.deleteFrom('lc_vpc_endpoints').where('vpc_endpoint_id', '=', vpcEndpointId).execute();
  }

  /** Services whose next step is due at `now` (lazy transitions). */
  async dueServices(now: Date): Promise<EndpointService[]> {
    return (await this.db.selectFrom('lc_endpoint_services').selectAll().where('next_state_at', '<=', now).execute()).map(toService);
  }

  /** Endpoints whose next step is due at `now`. */
  async dueEndpoints(now: Date): Promise<VpcEndpoint[]> {
    return (await this.db.selectFrom('lc_vpc_endpoints').selectAll().where('next_state_at', '<=', now).execute()).map(toEndpoint);
  }
}

function tags(value: unknown): Tag[] {
  return (value as Tag[]) ?? [];
}

export function toPermission(row: { service_id: string; principal: string; permission_id: string; created_at: Date }): ServicePermission {
  return { serviceId: row.service_id, principal: row.principal, permissionId: row.permission_id, createdAt: row.created_at };
}

export function toService(row: Record<string, unknown>): EndpointService {
  return {
    serviceId: row.service_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    serviceName: row.service_name as string,
    state: row.state as ServiceState,
    nextState: row.next_state as string | null,
    nextStateAt: row.next_state_at as Date | null,
    availableAt: row.available_at as Date | null,
    acceptanceRequired: row.acceptance_required as boolean,
    loadBalancerArns: row.load_balancer_arns as string[],
    privateDnsName: row.private_dns_name as string | null,
    supportedIpAddressTypes: row.supported_ip_address_types as string[],
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toEndpoint(row: Record<string, unknown>): VpcEndpoint {
  return {
    vpcEndpointId: row.vpc_endpoint_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    vpcId: row.vpc_id as string,
    serviceId: row.service_id as string,
    serviceName: row.service_name as string,
    endpointType: 'Interface',
    state: row.state as EndpointState,
    nextState: row.next_state as string | null,
    nextStateAt: row.next_state_at as Date | null,
    subnetIds: row.subnet_ids as string[],
    securityGroupIds: row.security_group_ids as string[],
    dnsSuffix: row.dns_suffix as string,
    privateDnsEnabled: row.private_dns_enabled as boolean,
    ipAddressType: row.ip_address_type as string,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}
