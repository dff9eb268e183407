import { sql } from 'kysely';
import type { Tag } from '../model.js';
import { json, type LcExecutor } from './schema.js';

/**
 * An EC2 resource type whose tags the local cloud keeps: its id prefix, table and id column, the
 * `resourceType` DescribeTags shows, and the columns of the account and region that own it (a
 * peering connection is its requester's).
 */
export interface TaggableKind {
  readonly prefix: string;
  readonly resourceType: string;
  readonly table: string;
  readonly idColumn: string;
  readonly accountColumn: string;
  readonly regionColumn: string;
}

/** Longest prefix first: `vpce-svc-` before `vpce-`. */
export const TAGGABLE_KINDS: readonly TaggableKind[] = [
  { prefix: 'vpce-svc-', resourceType: 'vpc-endpoint-service', table: 'lc_endpoint_services', idColumn: 'service_id', accountColumn: 'account_id', regionColumn: 'region' },
  { prefix: 'vpce-', resourceType: 'vpc-endpoint', table: 'lc_vpc_endpoints', idColumn: 'vpc_endpoint_id', accountColumn: 'account_id', regionColumn: 'region' },
  { prefix: 'vpc-', resourceType: 'vpc', table: 'lc_vpcs', idColumn: 'vpc_id', accountColumn: 'account_id', regionColumn: 'region' },
  { prefix: 'subnet-', resourceType: 'subnet', table: 'lc_subnets', idColumn: 'subnet_id', accountColumn: 'account_id', regionColumn: 'region' },
  { prefix: 'sg-', resourceType: 'security-group', table: 'lc_security_groups', idColumn: 'group_id', accountColumn: 'account_id', regionColumn: 'region' },
  {
    prefix: 'pcx-',
    resourceType: 'vpc-peering-connection',
    table: 'lc_vpc_peerings',
    idColumn: 'peering_id',
    accountColumn: 'requester_account_id',
    regionColumn: 'requester_region',
  },
  { prefix: 'vgw-', resourceType: 'vpn-gateway', table: 'lc_onprem_networks', idColumn: 'gateway_id', accountColumn: 'account_id', regionColumn: 'region' },
];

/** One tagged resource as stored. */
export interface TaggedResource {
  readonly kind: TaggableKind;
  readonly resourceId: string;
  readonly seq: number;
  readonly tags: readonly Tag[];
}

/** The tags of the EC2 resources in TAGGABLE_KINDS, read and replaced by id. Thin queries. */
export class Ec2TagsRepository {
  constructor(private readonly db: LcExecutor) {}

  /** The account's resources of `kind` in the region (only those named, when `resourceIds` is given), oldest first. */
  async list(kind: TaggableKind, accountId: string, region: string, resourceIds?: readonly string[]): Promise<TaggedResource[]> {
    if (resourceIds?.length === 0) return [];
    const named = resourceIds ? sql`and ${sql.ref(kind.idColumn)} in (${sql.join(resourceIds)})` : sql``;
    const { rows } = await sql<{ id: string; seq: number; tags: unknown }>`select ${sql.ref(kind.idColumn)} as id, seq, tags from ${sql.table(kind.table)}
      where ${sql.ref(kind.accountColumn)} = ${accountId} and ${sql.ref(kind.regionColumn)} = ${region} ${named} order by seq`.execute(this.db);
    return rows.map((row) => ({ kind, resourceId: row.id, seq: Number(row.seq), tags: tagList(row.tags) }));
  }

  async setTags(kind: TaggableKind, resourceId: string, tags: readonly Tag[]): Promise<void> {
    await sql`update ${sql.table(kind.table)} set tags = ${json(tags)} where ${sql.ref(kind.idColumn)} = ${resourceId}`.execute(this.db);
  }
}

function tagList(value: unknown): Tag[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as Tag[]) : [];
}
