import type { OnPremisesNetwork, Route, Tag, VpcPeering, VpcPeeringStatus } from '../model.js';
import { json, type LcExecutor } from './schema.js';

type Insert<T> = Omit<T, 'seq'>;

/** VPC peering connections, the routes of main route tables, and on-premises networks. Thin queries. */
export class PeeringRepository {
  constructor(private readonly db: LcExecutor) {}

  /** Every peering connection (every account and region), oldest first; callers filter by side. */
  async allPeerings(): Promise<VpcPeering[]> {
    return (await this.db.selectFrom('lc_vpc_peerings').selectAll().orderBy('seq').execute()).map(toPeering);
  }

  async findPeering(peeringId: string): Promise<VpcPeering | undefined> {
    const row = await this.db.selectFrom('lc_vpc_peerings').selectAll().where('peering_id', '=', peeringId).executeTakeFirst();
    return row && toPeering(row);
  }

  async insertPeering(peering: Insert<VpcPeering>): Promise<void> {
    await this.db
      .insertInto('lc_vpc_peerings')
      .values({
        peering_id: peering.peeringId,
        requester_account_id: peering.requesterAccountId,
        requester_region: peering.requesterRegion,
        requester_vpc_id: peering.requesterVpcId,
        accepter_account_id: peering.accepterAccountId,
        accepter_region: peering.accepterRegion,
        accepter_vpc_id: peering.accepterVpcId,
        status: peering.status,
        message: peering.message,
        tags: json(peering.tags),
        created_at: peering.createdAt,
        expires_at: peering.expiresAt,
        changed_at: peering.changedAt,
      })
      .execute();
  }

  async setPeeringStatus(peeringId: string, status: VpcPeeringStatus, message: string, at: Date): Promise<void> {
    await this.db.updateTable('lc_vpc_peerings').set({ status, message, changed_at: at }).where('peering_id', '=', peeringId).execute();
  }

  /** Routes of the given route tables (all when undefined), oldest first. */
  async listRoutes(routeTableIds?: readonly string[]): Promise<Route[]> {
    if (routeTableIds !== undefined && routeTableIds.length === 0) return [];
    let query = this.db.selectFrom('lc_routes').selectAll().orderBy('created_at');
    if (routeTableIds !== undefined) query = query.where('route_table_id', 'in', routeTableIds);
    return (await query.execute()).map(toRoute);
  }

  async insertRoute(route: Route): Promise<void> {
    await this.db
      .insertInto('lc_routes')
      .values({
        route_table_id: route.routeTableId,
        destination_cidr: route.destinationCidr,
        vpc_peering_connection_id: route.vpcPeeringConnectionId,
        created_at: route.createdAt,
      })
      .execute();
  }

  async deleteRoute(routeTableId: string, destinationCidr: string): Promise<void> {
    await this.db.deleteFrom('lc_routes').where('route_table_id', '=', routeTableId).where('destination_cidr', '=', destinationCidr).execute();
  }

  async allOnPremisesNetworks(): Promise<OnPremisesNetwork[]> {
    return (await this.db.selectFrom('lc_onprem_networks').selectAll().orderBy('seq').execute()).map(toOnPremises);
  }

  /** The highest loopback slot an on-premises network holds, 0 when there is none. */
  async maxOnPremisesSlot(): Promise<number> {
    const row = await this.db
      .selectFrom('lc_onprem_networks')
      .select((eb) => eb.fn.max('slot').as('slot'))
      .executeTakeFirst();
    return Number(row?.slot ?? 0);
  }

  async insertOnPremisesNetwork(network: Insert<OnPremisesNetwork>): Promise<void> {
    await this.db
      .insertInto('lc_onprem_networks')
      .values({
        gateway_id: network.gatewayId,
        account_id: network.accountId,
        region: network.region,
        vpc_id: network.vpcId,
        cidr_block: network.cidrBlock,
        slot: network.slot,
        amazon_side_asn: network.amazonSideAsn,
        tags: json(network.tags),
        created_at: network.createdAt,
      })
      .execute();
  }

  async deleteOnPremisesNetwork(gatewayId: string): Promise<void> {
    await this.db.deleteFrom('lc_onprem_networks').where('gateway_id', '=', gatewayId).execute();
  }
}

function tags(value: unknown): Tag[] {
  return (value as Tag[]) ?? [];
}

export function toPeering(row: Record<string, unknown>): VpcPeering {
  return {
    peeringId: row.peering_id as string,
    seq: row.seq as number,
    requesterAccountId: row.requester_account_id as string,
    requesterRegion: row.requester_region as string,
    requesterVpcId: row.requester_vpc_id as string,
    accepterAccountId: row.accepter_account_id as string,
    accepterRegion: row.accepter_region as string,
    accepterVpcId: row.accepter_vpc_id as string,
    status: row.status as VpcPeeringStatus,
    message: row.message as string,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
    expiresAt: row.expires_at as Date,
    changedAt: row.changed_at as Date,
  };
}

export function toOnPremises(row: Record<string, unknown>): OnPremisesNetwork {
  return {
    gatewayId: row.gateway_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    vpcId: row.vpc_id as string,
    cidrBlock: row.cidr_block as string,
    slot: row.slot as number,
    amazonSideAsn: Number(row.amazon_side_asn),
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toRoute(row: { route_table_id: string; destination_cidr: string; vpc_peering_connection_id: string; created_at: Date }): Route {
  return {
    routeTableId: row.route_table_id,
    destinationCidr: row.destination_cidr,
    vpcPeeringConnectionId: row.vpc_peering_connection_id,
    createdAt: row.created_at,
  };
}
