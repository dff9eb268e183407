import { sql } from 'kysely';
import { OPERATION_RETENTION_MS } from './operations.repository.js';
import { json, type AzureExecutor, type JsonObject } from './schema.js';

/**
 * When the first transition falls due — a resource's next state, a running operation's end, the
 * oldest operation's end of retention — as an SQL expression; null: none. Each on an index.
 */
export const FIRST_DUE = sql<
  Date | string | null
>`least((select min(next_state_at) from lc_azure_resources), (select min(due_at) from lc_azure_operations where status = 'InProgress'), (select min(created_at) from lc_azure_operations) + make_interval(secs => ${OPERATION_RETENTION_MS / 1000}))`;

/** One ARM resource (or child resource) as stored: its identity, tags and `properties` document. */
export interface ResourceRow {
  /** The lower-cased id: ARM resolves ids case-insensitively. */
  readonly key: string;
  readonly seq: number;
  /** The id as first created (the casing ARM answers with). */
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroupKey: string;
  /** Full ARM type, e.g. `Microsoft.Network/virtualNetworks/subnets`. */
  readonly type: string;
  readonly parentKey: string | null;
  readonly name: string;
  readonly location: string | null;
  readonly tags: Record<string, string>;
  readonly etag: string;
  readonly properties: JsonObject;
  readonly provisioningState: string;
  readonly nextState: string | null;
  readonly nextStateAt: Date | null;
  readonly createdAt: Date;
}

/** What a write stores (seq is assigned by the database). */
export type NewResource = Omit<ResourceRow, 'seq'>;

/**
 * ARM resources and the private IP addresses they hold. Thin queries; missing rows come back as
 * undefined. Call inside the request's transaction (under the emulator lock).
 */
export class ResourcesRepository {
  constructor(private readonly db: AzureExecutor) {}

  async find(key: string): Promise<ResourceRow | undefined> {
    const row = await this.db.selectFrom('lc_azure_resources').selectAll().where('id_key', '=', key).executeTakeFirst();
    return row && toRow(row);
  }

  /** Inserts or replaces the row with this key (seq is kept on replace). */
  async save(resource: NewResource): Promise<void> {
    const values = {
      id_key: resource.key,
      id: resource.id,
      subscription_id: resource.subscriptionId,
      resource_group_key: resource.resourceGroupKey,
      type: resource.type,
      parent_key: resource.parentKey,
      name: resource.name,
      location: resource.location,
      tags: json(resource.tags),
      etag: resource.etag,
      properties: json(resource.properties),
      provisioning_state: resource.provisioningState,
      next_state: resource.nextState,
      next_state_at: resource.nextStateAt,
      created_at: resource.createdAt,
    };
    const { id_key: _key, created_at: _created, ...update } = values;
    await this.db
      .insertInto('lc_azure_resources')
      .values(values)
      .onConflict((oc) => oc.column('id_key').doUpdateSet(update))
      .execute();
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('lc_azure_resources').where('id_key', '=', key).execute();
  }

  /** Child resources of `parentKey` (of one type when given), in creation order. */
  async children(parentKey: string, type?: string): Promise<ResourceRow[]> {
    let query = this.db.selectFrom('lc_azure_resources').selectAll().where('parent_key', '=', parentKey);
    if (type) query = query.where('type', '=', type);
    return (await query.orderBy('seq').execute()).map(toRow);
  }

  /**
   * One page of a type's resources in a subscription (and resource group, or parent, when given),
   * after `afterSeq`, in creation order. Returns at most `limit` rows.
   */
  async page(filter: { subscriptionId: string; type: string; resourceGroupKey?: string; parentKey?: string }, afterSeq: number, limit: number): Promise<ResourceRow[]> {
    let query = this.db
      .selectFrom('lc_azure_resources')
      .selectAll()
      .where('subscription_id', '=', filter.subscriptionId)
      .where('type', '=', filter.type)
      .where('seq', '>', afterSeq);
    if (filter.resourceGroupKey !== undefined) query = query.where('resource_group_key', '=', filter.resourceGroupKey);
    if (filter.parentKey !== undefined) query = query.where('parent_key', '=', filter.parentKey);
    return (await query.orderBy('seq').limit(limit).execute()).map(toRow);
  }

  /** Every resource of a type, all subscriptions (alias lookups, the data-plane view). */
  /** Every resource of each of `types`, each type's in creation order: one query for all of them. */
  async allOfTypes(types: readonly string[]): Promise<Map<string, ResourceRow[]>> {
    const byType = new Map<string, ResourceRow[]>(types.map((type) => [type, []]));
    if (types.length === 0) return byType;
    const rows = await this.db.selectFrom('lc_azure_resources').selectAll().where('type', 'in', types).orderBy('seq').execute();
    for (const row of rows) byType.get(row.type)?.push(toRow(row));
    return byType;
  }

  async allOfType(type: string): Promise<ResourceRow[]> {
    return (await this.db.selectFrom('lc_azure_resources').selectAll().where('type', '=', type).orderBy('seq').execute()).map(toRow);
  }

  /** Top-level resources of a resource group (children go with their parents). */
  async inResourceGroup(subscriptionId: string, resourceGroupKey: string): Promise<ResourceRow[]> {
    return (
      await this.db
        .selectFrom('lc_azure_resources')
        .selectAll()
        .where('subscription_id', '=', subscriptionId)
        .where('resource_group_key', '=', resourceGroupKey)
        .where('parent_key', 'is', null)
        .orderBy('seq')
        .execute()
    ).map(toRow);
  }

  /** Resources whose next lazy step is due at `now`. */
  async due(now: Date): Promise<ResourceRow[]> {
    return (await this.db.selectFrom('lc_azure_resources').selectAll().where('next_state_at', '<=', now).orderBy('seq').execute()).map(toRow);
  }

  /**
   * In one query: when the first transition falls due (FIRST_DUE) and when the first resource's
   * next state does (what the data plane's view waits for); undefined: none.
   */
  async dueTimes(): Promise<{ firstDueAt?: Date; nextStateAt?: Date }> {
    const { rows } = await sql<{
      at: Date | string | null;
      next: Date | string | null;
    }>`select ${FIRST_DUE} as at, (select min(next_state_at) from lc_azure_resources) as next`.execute(this.db);
    const row = rows[0];
    return { ...(row?.at ? { firstDueAt: new Date(row.at) } : {}), ...(row?.next ? { nextStateAt: new Date(row.next) } : {}) };
  }

  /**
   * When the first transition falls due (FIRST_DUE; undefined: none pending). One query.
   */
  async firstDueAt(): Promise<Date | undefined> {
    const { rows } = await sql<{ at: Date | string | null }>`select ${FIRST_DUE} as at`.execute(this.db);
    const at = rows[0]?.at;
    return at ? new Date(at) : undefined;
  }

  /** The addresses taken in a subnet. */
  async takenAddresses(subnetKey: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('lc_azure_ip_allocations').select('ip').where('subnet_key', '=', subnetKey).execute();
    return new Set(rows.map((r) => r.ip));
  }

  /** Who holds an address of a subnet, if anyone. */
  async addressOwner(subnetKey: string, ip: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('lc_azure_ip_allocations').select('owner_key').where('subnet_key', '=', subnetKey).where('ip', '=', ip).executeTakeFirst();
    return row?.owner_key;
  }

  async allocateAddress(subnetKey: string, ip: string, ownerKey: string): Promise<void> {
    await this.db.insertInto('lc_azure_ip_allocations').values({ subnet_key: subnetKey, ip, owner_key: ownerKey }).execute();
  }

  /** Releases every address `ownerKey` holds (or, with a prefix match, that it or its children hold). */
  async releaseAddresses(ownerKey: string): Promise<void> {
    await this.db
      .deleteFrom('lc_azure_ip_allocations')
      .where((eb) => eb.or([eb('owner_key', '=', ownerKey), eb('owner_key', 'like', `${escapeLike(ownerKey)}/%`)]))
      .execute();
  }

  /** How many addresses of the subnet are held. */
  async addressesInUse(subnetKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('lc_azure_ip_allocations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('subnet_key', '=', subnetKey)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Addresses held in a subnet, with their owners. */
  async addressesOfSubnet(subnetKey: string): Promise<Array<{ subnetKey: string; ip: string; ownerKey: string }>> {
    const rows = await this.db.selectFrom('lc_azure_ip_allocations').selectAll().where('subnet_key', '=', subnetKey).orderBy('ip').execute();
    return rows.map((r) => ({ subnetKey: r.subnet_key, ip: r.ip, ownerKey: r.owner_key }));
  }

  /** Addresses held by `ownerKey` or its children, with their subnets. */
  async addressesOf(ownerKey: string): Promise<Array<{ subnetKey: string; ip: string; ownerKey: string }>> {
    const rows = await this.db
      .selectFrom('lc_azure_ip_allocations')
      .selectAll()
      .where((eb) => eb.or([eb('owner_key', '=', ownerKey), eb('owner_key', 'like', `${escapeLike(ownerKey)}/%`)]))
      .execute();
    return rows.map((r) => ({ subnetKey: r.subnet_key, ip: r.ip, ownerKey: r.owner_key }));
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toRow(row: {
  id_key: string;
  seq: number;
  id: string;
  subscription_id: string;
  resource_group_key: string;
  type: string;
  parent_key: string | null;
  name: string;
  location: string | null;
  tags: Record<string, string>;
  etag: string;
  properties: JsonObject;
  provisioning_state: string;
  next_state: string | null;
  next_state_at: Date | null;
  created_at: Date;
}): ResourceRow {
  return {
    key: row.id_key,
    seq: row.seq,
    id: row.id,
    subscriptionId: row.subscription_id,
    resourceGroupKey: row.resource_group_key,
    type: row.type,
    parentKey: row.parent_key,
    name: row.name,
    location: row.location,
    tags: row.tags,
    etag: row.etag,
    properties: row.properties,
    provisioningState: row.provisioning_state,
    nextState: row.next_state,
    nextStateAt: row.next_state_at,
    createdAt: row.created_at,
  };
}
