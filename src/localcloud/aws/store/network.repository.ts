import type { NetworkInterface, SecurityGroup, SecurityGroupRule, Subnet, Tag, Vpc } from '../model.js';
import { sql } from 'kysely';
import type { SeqWindow } from '../seq-pages.js';
import { inWindow, json, type LcExecutor } from './schema.js';

type Insert<T> = Omit<T, 'seq'>;

/** VPCs, subnets, security groups with their rules, and network interfaces. Thin queries. */
export class NetworkRepository {
  constructor(private readonly db: LcExecutor) {}

  async listVpcs(accountId: string, region: string): Promise<Vpc[]> {
    const rows = await this.db.selectFrom('lc_vpcs').selectAll().where('account_id', '=', accountId).where('region', '=', region).orderBy('seq').execute();
    return rows.map(toVpc);
  }

  /** A VPC by id, whoever owns it (callers check ownership). */
  async findVpc(vpcId: string): Promise<Vpc | undefined> {
    const row = await this.db.selectFrom('lc_vpcs').selectAll().where('vpc_id', '=', vpcId).executeTakeFirst();
    return row && toVpc(row);
  }

  /** All VPCs of the store (every account and region), for the data-plane snapshot. */
  async allVpcs(): Promise<Vpc[]> {
    return (await this.db.selectFrom('lc_vpcs').selectAll().orderBy('seq').execute()).map(toVpc);
  }

  /** The highest loopback slot in use, 0 when there is none. */
  async maxVpcSlot(): Promise<number> {
    const row = await this.db
      .selectFrom('lc_vpcs')
      .select((eb) => eb.fn.max('slot').as('slot'))
      .executeTakeFirst();
    return Number(row?.slot ?? 0);
  }

  async insertVpc(vpc: Insert<Vpc>): Promise<void> {
    await this.db
      .insertInto('lc_vpcs')
      .values({
        vpc_id: vpc.vpcId,
        account_id: vpc.accountId,
        region: vpc.region,
        cidr_block: vpc.cidrBlock,
        is_default: vpc.isDefault,
        slot: vpc.slot,
        main_route_table_id: vpc.mainRouteTableId,
        dhcp_options_id: vpc.dhcpOptionsId,
        tags: json(vpc.tags),
        created_at: vpc.createdAt,
      })
      .execute();
  }

  async listSubnets(accountId: string, region: string): Promise<Subnet[]> {
    const rows = await this.db.selectFrom('lc_subnets').selectAll().where('account_id', '=', accountId).where('region', '=', region).orderBy('seq').execute();
    return rows.map(toSubnet);
  }

  async listSubnetsOfVpc(vpcId: string): Promise<Subnet[]> {
    return (await this.db.selectFrom('lc_subnets').selectAll().where('vpc_id', '=', vpcId).orderBy('seq').execute()).map(toSubnet);
  }

  async findSubnet(subnetId: string): Promise<Subnet | undefined> {
    const row = await this.db.selectFrom('lc_subnets').selectAll().where('subnet_id', '=', subnetId).executeTakeFirst();
    return row && toSubnet(row);
  }

  /** The subnets among `subnetIds` that exist (in no particular order). */
  async findSubnets(subnetIds: readonly string[]): Promise<Subnet[]> {
    if (subnetIds.length === 0) return [];
    return (await this.db.selectFrom('lc_subnets').selectAll().where('subnet_id', 'in', subnetIds).execute()).map(toSubnet);
  }

  async insertSubnet(subnet: Insert<Subnet>): Promise<void> {
    await this.db
      .insertInto('lc_subnets')
      .values({
        subnet_id: subnet.subnetId,
        account_id: subnet.accountId,
        region: subnet.region,
        vpc_id: subnet.vpcId,
        availability_zone: subnet.availabilityZone,
        availability_zone_id: subnet.availabilityZoneId,
        cidr_block: subnet.cidrBlock,
        default_for_az: subnet.defaultForAz,
        map_public_ip_on_launch: subnet.mapPublicIpOnLaunch,
        tags: json(subnet.tags),
        created_at: subnet.createdAt,
      })
      .execute();
  }

  /** Deletes a VPC with its security groups (their rules cascade). The caller checked its dependencies. */
  async deleteVpc(vpcId: string): Promise<void> {
    await this.db.deleteFrom('lc_security_groups').where('vpc_id', '=', vpcId).execute();
    await this.db.deleteFrom('lc_vpcs').where('vpc_id', '=', vpcId).execute();
  }

  async deleteSubnet(subnetId: string): Promise<void> {
    await this.db.deleteFrom('lc_subnets').where('subnet_id', '=', subnetId).execute();
  }

  async listSecurityGroups(accountId: string, region: string): Promise<SecurityGroup[]> {
    const rows = await this.db.selectFrom('lc_security_groups').selectAll().where('account_id', '=', accountId).where('region', '=', region).orderBy('seq').execute();
    return rows.map(toSecurityGroup);
  }

  async findSecurityGroup(groupId: string): Promise<SecurityGroup | undefined> {
    const row = await this.db.selectFrom('lc_security_groups').selectAll().where('group_id', '=', groupId).executeTakeFirst();
    return row && toSecurityGroup(row);
  }

  /** The security groups with these ids (one read by the primary key), in creation order. */
  async findSecurityGroups(groupIds: readonly string[]): Promise<SecurityGroup[]> {
    if (groupIds.length === 0) return [];
    const rows = await this.db.selectFrom('lc_security_groups').selectAll().where('group_id', 'in', groupIds).orderBy('seq').execute();
    return rows.map(toSecurityGroup);
  }

  async findSecurityGroupByName(vpcId: string, groupName: string): Promise<SecurityGroup | undefined> {
    const row = await this.db.selectFrom('lc_security_groups').selectAll().where('vpc_id', '=', vpcId).where('group_name', '=', groupName).executeTakeFirst();
    return row && toSecurityGroup(row);
  }

  async allSecurityGroups(): Promise<SecurityGroup[]> {
    return (await this.db.selectFrom('lc_security_groups').selectAll().orderBy('seq').execute()).map(toSecurityGroup);
  }

  async insertSecurityGroup(group: Insert<SecurityGroup>): Promise<void> {
    await this.db
      .insertInto('lc_security_groups')
      .values({
        group_id: group.groupId,
        account_id: group.accountId,
        region: group.region,
        vpc_id: group.vpcId,
        group_name: group.groupName,
        description: group.description,
        tags: json(group.tags),
        created_at: group.createdAt,
      })
      .execute();
  }

  /** Rules of the given groups (all groups when `groupIds` is undefined), in insertion order. */
  async listRules(groupIds?: readonly string[]): Promise<SecurityGroupRule[]> {
    if (groupIds !== undefined && groupIds.length === 0) return [];
    let query = this.db.selectFrom('lc_security_group_rules').selectAll().orderBy('seq');
    if (groupIds !== undefined) query = query.where('group_id', 'in', groupIds);
    return (await query.execute()).map(toRule);
  }

  async deleteRules(ruleIds: readonly string[]): Promise<void> {
    if (ruleIds.length === 0) return;
    await this.db.deleteFrom('lc_security_group_rules').where('rule_id', 'in', ruleIds).execute();
  }

  /** Deletes the group and its rules. */
  async deleteSecurityGroup(groupId: string): Promise<void> {
    await this.db.deleteFrom('lc_security_groups').where('group_id', '=', groupId).execute();
  }

  /** What keeps a group from being deleted: another group's rule that names it, an endpoint or a load balancer it is attached to. */
  async securityGroupDependent(groupId: string): Promise<string | undefined> {
    const found = await sql<{ id: string }>`
      (select group_id as id from lc_security_group_rules where referenced_group_id = ${groupId} and group_id <> ${groupId} limit 1)
      union all (select vpc_endpoint_id from lc_vpc_endpoints where state <> 'deleted' and security_group_ids @> ${JSON.stringify([groupId])}::jsonb limit 1)
      union all (select arn from lc_load_balancers where security_groups @> ${JSON.stringify([groupId])}::jsonb limit 1)
      limit 1`.execute(this.db);
    return found.rows[0]?.id;
  }

  async insertRule(rule: Insert<SecurityGroupRule>, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_security_group_rules')
      .values({
        rule_id: rule.ruleId,
        group_id: rule.groupId,
        is_egress: rule.isEgress,
        ip_protocol: rule.ipProtocol,
        from_port: rule.fromPort,
        to_port: rule.toPort,
        cidr_ipv4: rule.cidrIpv4,
        referenced_group_id: rule.referencedGroupId,
        description: rule.description,
        created_at: now,
      })
      .execute();
  }

  async listInterfacesOfSubnet(subnetId: string): Promise<NetworkInterface[]> {
    return (await this.db.selectFrom('lc_network_interfaces').selectAll().where('subnet_id', '=', subnetId).orderBy('seq').execute()).map(toInterface);
  }

  /**
   * The lowest address of each range (`first`..`last`, IPv4 addresses as numbers) that no network
   * interface of that subnet holds, or undefined when every one is taken; one query. The lowest
   * free address is `first` or one above a taken one, so only those are tried, each by the
   * (subnet_id, private_ip) index: no interface of the subnet is sent back or mapped.
   */
  async lowestFreeAddresses(ranges: ReadonlyArray<{ subnetId: string; first: number; last: number }>): Promise<Map<string, number | undefined>> {
    if (ranges.length === 0) return new Map();
    const values = sql.join(ranges.map((r) => sql`(${r.subnetId}::text, ${r.first}::bigint, ${r.last}::bigint)`));
    const { rows } = await sql<{ subnet_id: string; free: string | number | null }>`
      select r.subnet_id, (
        select min(c.a) from (
          select r.first as a
          union all
          select (i.private_ip::inet - '0.0.0.0'::inet) + 1 from lc_network_interfaces i where i.subnet_id = r.subnet_id
        ) c
        where c.a between r.first and r.last
          and not exists (select 1 from lc_network_interfaces x where x.subnet_id = r.subnet_id and x.private_ip = host('0.0.0.0'::inet + c.a))
      ) as free
      from (values ${values}) as r (subnet_id, first, last)`.execute(this.db);
    return new Map(rows.map((row) => [row.subnet_id, row.free === null ? undefined : Number(row.free)]));
  }

  async listInterfacesOfOwners(ownerIds: readonly string[]): Promise<NetworkInterface[]> {
    if (ownerIds.length === 0) return [];
    return (await this.db.selectFrom('lc_network_interfaces').selectAll().where('owner_id', 'in', ownerIds).orderBy('seq').execute()).map(toInterface);
  }

  /**
   * The account's network interfaces in the region, in creation order; with `onlyIds`, just those
   * among them (one read by the primary key); with a window, only its rows (by the index on owner
   * and seq).
   */
  async listInterfaces(accountId: string, region: string, onlyIds?: readonly string[], window?: SeqWindow): Promise<NetworkInterface[]> {
    if (onlyIds?.length === 0) return [];
    let query = inWindow(this.db.selectFrom('lc_network_interfaces').selectAll().where('account_id', '=', accountId).where('region', '=', region), window);
    if (onlyIds) query = query.where('network_interface_id', 'in', onlyIds);
    return (await query.execute()).map(toInterface);
  }

  async allInterfaces(): Promise<NetworkInterface[]> {
    return (await this.db.selectFrom('lc_network_interfaces').selectAll().orderBy('seq').execute()).map(toInterface);
  }

  /** Inserts the interfaces in one statement, in the order given (their `seq` follows it), and answers them as stored, in that order. */
  async insertInterfaces(enis: ReadonlyArray<Insert<NetworkInterface>>): Promise<NetworkInterface[]> {
    if (enis.length === 0) return [];
    const rows = await this.db
      .insertInto('lc_network_interfaces')
      .values(
        enis.map((eni) => ({
          network_interface_id: eni.networkInterfaceId,
          account_id: eni.accountId,
          region: eni.region,
          vpc_id: eni.vpcId,
          subnet_id: eni.subnetId,
          availability_zone: eni.availabilityZone,
          private_ip: eni.privateIp,
          owner_kind: eni.ownerKind,
          owner_id: eni.ownerId,
          description: eni.description,
          created_at: eni.createdAt,
        })),
      )
      .returningAll()
      .execute();
    return rows.map(toInterface).sort((a, b) => a.seq - b.seq);
  }

  async deleteInterfacesOfOwner(ownerId: string): Promise<void> {
    await this.db.deleteFrom('lc_network_interfaces').where('owner_id', '=', ownerId).execute();
  }

  /** Deletes the owner's interfaces in these subnets (an endpoint leaving them). */
  async deleteInterfacesOfOwnerIn(ownerId: string, subnetIds: readonly string[]): Promise<void> {
    if (subnetIds.length === 0) return;
    await this.db.deleteFrom('lc_network_interfaces').where('owner_id', '=', ownerId).where('subnet_id', 'in', subnetIds).execute();
  }
}

function tags(value: unknown): Tag[] {
  return (value as Tag[]) ?? [];
}

export function toVpc(row: Record<string, unknown>): Vpc {
  return {
    vpcId: row.vpc_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    cidrBlock: row.cidr_block as string,
    isDefault: row.is_default as boolean,
    slot: row.slot as number,
    mainRouteTableId: row.main_route_table_id as string,
    dhcpOptionsId: row.dhcp_options_id as string,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

function toSubnet(row: Record<string, unknown>): Subnet {
  return {
    subnetId: row.subnet_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    vpcId: row.vpc_id as string,
    availabilityZone: row.availability_zone as string,
    availabilityZoneId: row.availability_zone_id as string,
    cidrBlock: row.cidr_block as string,
    defaultForAz: row.default_for_az as boolean,
    mapPublicIpOnLaunch: row.map_public_ip_on_launch as boolean,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toSecurityGroup(row: Record<string, unknown>): SecurityGroup {
  return {
    groupId: row.group_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    vpcId: row.vpc_id as string,
    groupName: row.group_name as string,
    description: row.description as string,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toRule(row: Record<string, unknown>): SecurityGroupRule {
  return {
    ruleId: row.rule_id as string,
    seq: row.seq as number,
    groupId: row.group_id as string,
    isEgress: row.is_egress as boolean,
    ipProtocol: row.ip_protocol as string,
    fromPort: row.from_port as number | null,
    toPort: row.to_port as number | null,
    cidrIpv4: row.cidr_ipv4 as string | null,
    referencedGroupId: row.referenced_group_id as string | null,
    description: row.description as string | null,
  };
}

export function toInterface(row: Record<string, unknown>): NetworkInterface {
  return {
    networkInterfaceId: row.network_interface_id as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    vpcId: row.vpc_id as string,
    subnetId: row.subnet_id as string,
    availabilityZone: row.availability_zone as string,
    privateIp: row.private_ip as string,
    ownerKind: row.owner_kind as NetworkInterface['ownerKind'],
    ownerId: row.owner_id as string,
    description: row.description as string,
    createdAt: row.created_at as Date,
  };
}
