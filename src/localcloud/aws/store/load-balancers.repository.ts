import type { HealthCheck, Listener, LoadBalancer, LoadBalancerState, Tag, Target, TargetGroup } from '../model.js';
import type { TimedState } from '../../common/transitions.js';
import type { SeqWindow } from '../seq-pages.js';
import { inWindow, json, type LcExecutor } from './schema.js';

/** The ARNs or names a caller names its load balancers or target groups by. */
export interface ElbKeys {
  readonly key: 'arn' | 'name';
  readonly values: readonly string[];
}

type Insert<T> = Omit<T, 'seq'>;

/** ELBv2 load balancers, target groups with their targets, and listeners. Thin queries. */
export class LoadBalancersRepository {
  constructor(private readonly db: LcExecutor) {}

  /** The account's load balancers in the region, in creation order; with `only`, just those among them (one indexed read); with a window, only its rows. */
  async listLoadBalancers(accountId: string, region: string, only?: ElbKeys, window?: SeqWindow): Promise<LoadBalancer[]> {
    return (await this.ownRows('lc_load_balancers', accountId, region, only, window)).map(toLoadBalancer);
  }

  /** How many load balancers the account has in the region (counted in the database: its quota check). */
  async countLoadBalancers(accountId: string, region: string): Promise<number> {
    const row = await this.db
      .selectFrom('lc_load_balancers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async allLoadBalancers(): Promise<LoadBalancer[]> {
    return (await this.db.selectFrom('lc_load_balancers').selectAll().orderBy('seq').execute()).map(toLoadBalancer);
  }

  async findLoadBalancer(arn: string): Promise<LoadBalancer | undefined> {
    const row = await this.db.selectFrom('lc_load_balancers').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && toLoadBalancer(row);
  }

  /** Inserts the load balancer and answers it as stored. */
  async insertLoadBalancer(lb: Insert<LoadBalancer>): Promise<LoadBalancer> {
    const row = await this.db
      .insertInto('lc_load_balancers')
      .values({
        arn: lb.arn,
        account_id: lb.accountId,
        region: lb.region,
        name: lb.name,
        type: lb.type,
        scheme: lb.scheme,
        ip_address_type: lb.ipAddressType,
        vpc_id: lb.vpcId,
        dns_name: lb.dnsName,
        state: lb.state,
        next_state: lb.nextState,
        next_state_at: lb.nextStateAt,
        subnets: json(lb.subnets),
        security_groups: json(lb.securityGroups),
        tags: json(lb.tags),
        created_at: lb.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLoadBalancer(row);
  }

  async updateLoadBalancerTiming(arn: string, timing: TimedState): Promise<void> {
    await this.db.updateTable('lc_load_balancers').set({ state: timing.state, next_state: timing.nextState, next_state_at: timing.nextStateAt }).where('arn', '=', arn).execute();
  }

  async deleteLoadBalancer(arn: string): Promise<void> {
    await this.db.deleteFrom('lc_load_balancers').where('arn', '=', arn).execute();
  }

  /** Load balancers whose next step is due at `now` (lazy transitions). */
  async dueLoadBalancers(now: Date): Promise<LoadBalancer[]> {
    return (await this.db.selectFrom('lc_load_balancers').selectAll().where('next_state_at', '<=', now).execute()).map(toLoadBalancer);
  }

  /** The account's target groups in the region, in creation order; with `only`, just those among them (one indexed read); with a window, only its rows. */
  async listTargetGroups(accountId: string, region: string, only?: ElbKeys, window?: SeqWindow): Promise<TargetGroup[]> {
    return (await this.ownRows('lc_target_groups', accountId, region, only, window)).map(toTargetGroup);
  }

  /**
   * The account's rows in the region of one of the two tables keyed by ARN and by (account, region,
   * name), in creation order (a window's rows by the index on owner and seq).
   */
  private async ownRows(
    table: 'lc_load_balancers' | 'lc_target_groups',
    accountId: string,
    region: string,
    only: ElbKeys | undefined,
    window: SeqWindow | undefined,
  ): Promise<Array<Record<string, unknown>>> {
    if (only?.values.length === 0) return [];
    let query = inWindow(this.db.selectFrom(table).selectAll().where('account_id', '=', accountId).where('region', '=', region), window);
    if (only) query = query.where(only.key, 'in', only.values);
    return query.execute();
  }

  /** The target groups a load balancer's listeners forward to, in creation order (through the listeners' index). */
  async targetGroupsOfLoadBalancer(loadBalancerArn: string): Promise<TargetGroup[]> {
    const rows = await this.db
      .selectFrom('lc_target_groups')
      .selectAll()
      .where('arn', 'in', (eb) => eb.selectFrom('lc_listeners').select('target_group_arn').where('load_balancer_arn', '=', loadBalancerArn))
      .orderBy('seq')
      .execute();
    return rows.map(toTargetGroup);
  }

  async allTargetGroups(): Promise<TargetGroup[]> {
    return (await this.db.selectFrom('lc_target_groups').selectAll().orderBy('seq').execute()).map(toTargetGroup);
  }

  async findTargetGroup(arn: string): Promise<TargetGroup | undefined> {
    const row = await this.db.selectFrom('lc_target_groups').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && toTargetGroup(row);
  }

  /** Inserts it and answers it as stored (what a read right after would give). */
  async insertTargetGroup(group: Insert<TargetGroup>): Promise<TargetGroup> {
    const row = await this.db
      .insertInto('lc_target_groups')
      .values({
        arn: group.arn,
        account_id: group.accountId,
        region: group.region,
        name: group.name,
        protocol: group.protocol,
        port: group.port,
        vpc_id: group.vpcId,
        target_type: group.targetType,
        ip_address_type: group.ipAddressType,
        health_check: json(group.healthCheck),
        attributes: json(group.attributes),
        tags: json(group.tags),
        created_at: group.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTargetGroup(row);
  }

  async updateTargetGroupAttributes(arn: string, attributes: Readonly<Record<string, string>>): Promise<void> {
    await this.db
      .updateTable('lc_target_groups')
      .set({ attributes: json(attributes) })
      .where('arn', '=', arn)
      .execute();
  }

  async deleteTargetGroup(arn: string): Promise<void> {
    await this.db.deleteFrom('lc_target_groups').where('arn', '=', arn).execute();
  }

  /** Replaces the tags of a load balancer, target group or listener (by ARN). */
  async setTags(kind: 'loadbalancer' | 'targetgroup' | 'listener', arn: string, tagList: readonly Tag[]): Promise<void> {
    const table = kind === 'loadbalancer' ? 'lc_load_balancers' : kind === 'targetgroup' ? 'lc_target_groups' : 'lc_listeners';
    await this.db
      .updateTable(table)
      .set({ tags: json(tagList) })
      .where('arn', '=', arn)
      .execute();
  }

  async listTargets(targetGroupArns: readonly string[]): Promise<Target[]> {
    if (targetGroupArns.length === 0) return [];
    const rows = await this.db.selectFrom('lc_targets').selectAll().where('target_group_arn', 'in', targetGroupArns).orderBy('seq').execute();
    return rows.map(toTarget);
  }

  /** Registers the target unless already registered with that port (registration is idempotent). */
  async insertTarget(target: Insert<Target>): Promise<void> {
    await this.db
      .insertInto('lc_targets')
      .values({
        target_group_arn: target.targetGroupArn,
        target_id: target.targetId,
        port: target.port,
        availability_zone: target.availabilityZone,
        registered_at: target.registeredAt,
      })
      .onConflict((oc) => oc.columns(['target_group_arn', 'target_id', 'port']).doNothing())
      .execute();
  }

  async deleteTarget(targetGroupArn: string, targetId: string, port: number): Promise<void> {
    await this.db.deleteFrom('lc_targets').where('target_group_arn', '=', targetGroupArn).where('target_id', '=', targetId).where('port', '=', port).execute();
  }

  async listListeners(loadBalancerArns: readonly string[]): Promise<Listener[]> {
    if (loadBalancerArns.length === 0) return [];
    return (await this.db.selectFrom('lc_listeners').selectAll().where('load_balancer_arn', 'in', loadBalancerArns).orderBy('seq').execute()).map(toListener);
  }

  async listListenersOfAccount(accountId: string, region: string): Promise<Listener[]> {
    const rows = await this.db.selectFrom('lc_listeners').selectAll().where('account_id', '=', accountId).where('region', '=', region).orderBy('seq').execute();
    return rows.map(toListener);
  }

  async findListener(arn: string): Promise<Listener | undefined> {
    const row = await this.db.selectFrom('lc_listeners').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && toListener(row);
  }

  async listenersUsingTargetGroup(targetGroupArn: string): Promise<Listener[]> {
    return this.listenersUsingTargetGroups([targetGroupArn]);
  }

  /** The listeners forwarding to any of these target groups, in one statement. */
  async listenersUsingTargetGroups(targetGroupArns: readonly string[]): Promise<Listener[]> {
    if (targetGroupArns.length === 0) return [];
    return (await this.db.selectFrom('lc_listeners').selectAll().where('target_group_arn', 'in', targetGroupArns).orderBy('seq').execute()).map(toListener);
  }

  /** Inserts it and answers it as stored (what a read right after would give). */
  async insertListener(listener: Insert<Listener>): Promise<Listener> {
    const row = await this.db
      .insertInto('lc_listeners')
      .values({
        arn: listener.arn,
        load_balancer_arn: listener.loadBalancerArn,
        account_id: listener.accountId,
        region: listener.region,
        port: listener.port,
        protocol: listener.protocol,
        target_group_arn: listener.targetGroupArn,
        tags: json(listener.tags),
        created_at: listener.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toListener(row);
  }

  async deleteListener(arn: string): Promise<void> {
    await this.db.deleteFrom('lc_listeners').where('arn', '=', arn).execute();
  }
}

function tags(value: unknown): Tag[] {
  return (value as Tag[]) ?? [];
}

export function toLoadBalancer(row: Record<string, unknown>): LoadBalancer {
  return {
    arn: row.arn as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    name: row.name as string,
    type: 'network',
    scheme: row.scheme as LoadBalancer['scheme'],
    ipAddressType: row.ip_address_type as string,
    vpcId: row.vpc_id as string,
    dnsName: row.dns_name as string,
    state: row.state as LoadBalancerState,
    nextState: row.next_state as string | null,
    nextStateAt: row.next_state_at as Date | null,
    subnets: row.subnets as LoadBalancer['subnets'],
    securityGroups: row.security_groups as string[],
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toTargetGroup(row: Record<string, unknown>): TargetGroup {
  return {
    arn: row.arn as string,
    seq: row.seq as number,
    accountId: row.account_id as string,
    region: row.region as string,
    name: row.name as string,
    protocol: row.protocol as string,
    port: row.port as number,
    vpcId: row.vpc_id as string,
    targetType: row.target_type as TargetGroup['targetType'],
    ipAddressType: row.ip_address_type as string,
    healthCheck: row.health_check as HealthCheck,
    attributes: row.attributes as Record<string, string>,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toListener(row: Record<string, unknown>): Listener {
  return {
    arn: row.arn as string,
    seq: row.seq as number,
    loadBalancerArn: row.load_balancer_arn as string,
    accountId: row.account_id as string,
    region: row.region as string,
    port: row.port as number,
    protocol: row.protocol as string,
    targetGroupArn: row.target_group_arn as string,
    tags: tags(row.tags),
    createdAt: row.created_at as Date,
  };
}

export function toTarget(row: { target_group_arn: string; seq: number; target_id: string; port: number; availability_zone: string | null; registered_at: Date }): Target {
  return {
    targetGroupArn: row.target_group_arn,
    seq: row.seq,
    targetId: row.target_id,
    port: row.port,
    availabilityZone: row.availability_zone,
    registeredAt: row.registered_at,
  };
}
