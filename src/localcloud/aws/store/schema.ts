import { sql, type ColumnType, type Generated, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { SeqWindow } from '../seq-pages.js';
import type { Schema } from '../../../store/schema.js';
import { EMULATOR_LOCK_KEYS, inEmulatorTransaction, type CommitNotice } from '../../common/emulator-lock.js';

/**
 * Row types of the `lc_*` tables (the AWS emulation's migrations, store/migrations). Timestamps are timestamptz
 * (read as Date on both backends); JSON columns are jsonb written as JSON text.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type Seq = Generated<number>;
type TagsJson = Json<Array<{ key: string; value: string }>>;

export interface LcSettingsTable {
  key: string;
  value: string;
}
export interface LcFaultsTable {
  action: string;
  fault: Json<unknown>;
  remaining: number | null;
}
export interface LcAccountsTable {
  account_id: string;
  name: string;
  access_key_id: string;
  secret_access_key: string;
  created_at: Generated<Date>;
}
export interface LcAccountRegionsTable {
  account_id: string;
  region: string;
  default_vpc_id: string;
}
export interface LcClientTokensTable {
  account_id: string;
  region: string;
  action: string;
  token: string;
  request_hash: string;
  resource_id: string;
  created_at: Timestamp;
}
export interface LcVpcsTable {
  vpc_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  cidr_block: string;
  is_default: boolean;
  slot: number;
  main_route_table_id: string;
  dhcp_options_id: string;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcSubnetsTable {
  subnet_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  vpc_id: string;
  availability_zone: string;
  availability_zone_id: string;
  cidr_block: string;
  default_for_az: boolean;
  map_public_ip_on_launch: boolean;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcSecurityGroupsTable {
  group_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  vpc_id: string;
  group_name: string;
  description: string;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcSecurityGroupRulesTable {
  rule_id: string;
  seq: Seq;
  group_id: string;
  is_egress: boolean;
  ip_protocol: string;
  from_port: number | null;
  to_port: number | null;
  cidr_ipv4: string | null;
  referenced_group_id: string | null;
  description: string | null;
  created_at: Timestamp;
}
export interface LcNetworkInterfacesTable {
  network_interface_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  vpc_id: string;
  subnet_id: string;
  availability_zone: string;
  private_ip: string;
  owner_kind: string;
  owner_id: string;
  description: string;
  created_at: Timestamp;
}
interface TimedColumns {
  state: string;
  next_state: string | null;
  next_state_at: NullableTimestamp;
}
export interface LcLoadBalancersTable extends TimedColumns {
  arn: string;
  seq: Seq;
  account_id: string;
  region: string;
  name: string;
  type: string;
  scheme: string;
  ip_address_type: string;
  vpc_id: string;
  dns_name: string;
  subnets: Json<Array<{ subnetId: string; zoneName: string; zoneId: string }>>;
  security_groups: Json<string[]>;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcTargetGroupsTable {
  arn: string;
  seq: Seq;
  account_id: string;
  region: string;
  name: string;
  protocol: string;
  port: number;
  vpc_id: string;
  target_type: string;
  ip_address_type: string;
  health_check: Json<Record<string, unknown>>;
  attributes: Json<Record<string, string>>;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcTargetsTable {
  target_group_arn: string;
  seq: Seq;
  target_id: string;
  port: number;
  availability_zone: string | null;
  registered_at: Timestamp;
}
export interface LcListenersTable {
  arn: string;
  seq: Seq;
  load_balancer_arn: string;
  account_id: string;
  region: string;
  port: number;
  protocol: string;
  target_group_arn: string;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcEndpointServicesTable extends TimedColumns {
  service_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  service_name: string;
  available_at: NullableTimestamp;
  acceptance_required: boolean;
  load_balancer_arns: Json<string[]>;
  private_dns_name: string | null;
  supported_ip_address_types: Json<string[]>;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcServicePermissionsTable {
  service_id: string;
  principal: string;
  permission_id: string;
  created_at: Timestamp;
}
export interface LcVpcEndpointsTable extends TimedColumns {
  vpc_endpoint_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  vpc_id: string;
  service_id: string;
  service_name: string;
  endpoint_type: string;
  subnet_ids: Json<string[]>;
  security_group_ids: Json<string[]>;
  dns_suffix: string;
  private_dns_enabled: boolean;
  ip_address_type: string;
  tags: TagsJson;
  created_at: Timestamp;
}

/** The local cloud's AWS tables, for a Kysely instance over the shared store (a type, not an interface: withTables needs an index signature). */
export interface LcQuotaValuesTable {
  account_id: string;
  region: string;
  service_code: string;
  quota_code: string;
  value: number;
}
export interface LcQuotaRequestsTable {
  id: string;
  case_id: string;
  account_id: string;
  region: string;
  service_code: string;
  quota_code: string;
  desired_value: number;
  status: string;
  created_at: Timestamp;
  approve_at: Timestamp;
}
export interface LcVpcPeeringsTable {
  peering_id: string;
  seq: Seq;
  requester_account_id: string;
  requester_region: string;
  requester_vpc_id: string;
  accepter_account_id: string;
  accepter_region: string;
  accepter_vpc_id: string;
  status: string;
  message: string;
  tags: TagsJson;
  created_at: Timestamp;
  expires_at: Timestamp;
  changed_at: Timestamp;
}
export interface LcRoutesTable {
  route_table_id: string;
  destination_cidr: string;
  vpc_peering_connection_id: string;
  created_at: Timestamp;
}
export interface LcOnpremNetworksTable {
  gateway_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  vpc_id: string;
  cidr_block: string;
  slot: number;
  amazon_side_asn: number;
  tags: TagsJson;
  created_at: Timestamp;
}
export interface LcConnectionNotificationsTable {
  notification_id: string;
  seq: Seq;
  account_id: string;
  region: string;
  service_id: string | null;
  vpc_endpoint_id: string | null;
  topic_arn: string;
  events: Json<string[]>;
  state: string;
  created_at: Timestamp;
}
export interface LcSnsTopicsTable {
  topic_arn: string;
  seq: Seq;
  account_id: string;
  region: string;
  name: string;
  created_at: Timestamp;
}
export interface LcSnsSubscriptionsTable {
  subscription_arn: string;
  seq: Seq;
  topic_arn: string;
  protocol: string;
  endpoint: string;
  raw_delivery: boolean;
  created_at: Timestamp;
}
export interface LcSqsQueuesTable {
  queue_arn: string;
  seq: Seq;
  account_id: string;
  region: string;
  name: string;
  visibility_timeout_seconds: number;
  created_at: Timestamp;
}
export interface LcSqsMessagesTable {
  message_id: string;
  seq: Seq;
  queue_arn: string;
  body: string;
  sent_at: Timestamp;
  visible_at: Timestamp;
  receipt_handle: string | null;
  receive_count: number;
}
export interface LcDataPlaneChangesTable {
  seq: ColumnType<string, never, never>;
  tbl: string;
  key: string;
  at: ColumnType<Date, never, never>;
}
export type LocalCloudSchema = {
  lc_dataplane_changes: LcDataPlaneChangesTable;
  lc_connection_notifications: LcConnectionNotificationsTable;
  lc_sns_topics: LcSnsTopicsTable;
  lc_sns_subscriptions: LcSnsSubscriptionsTable;
  lc_sqs_queues: LcSqsQueuesTable;
  lc_sqs_messages: LcSqsMessagesTable;
  lc_vpc_peerings: LcVpcPeeringsTable;
  lc_routes: LcRoutesTable;
  lc_onprem_networks: LcOnpremNetworksTable;
  lc_quota_values: LcQuotaValuesTable;
  lc_quota_requests: LcQuotaRequestsTable;
  lc_settings: LcSettingsTable;
  lc_faults: LcFaultsTable;
  lc_accounts: LcAccountsTable;
  lc_account_regions: LcAccountRegionsTable;
  lc_client_tokens: LcClientTokensTable;
  lc_vpcs: LcVpcsTable;
  lc_subnets: LcSubnetsTable;
  lc_security_groups: LcSecurityGroupsTable;
  lc_security_group_rules: LcSecurityGroupRulesTable;
  lc_network_interfaces: LcNetworkInterfacesTable;
  lc_load_balancers: LcLoadBalancersTable;
  lc_target_groups: LcTargetGroupsTable;
  lc_targets: LcTargetsTable;
  lc_listeners: LcListenersTable;
  lc_endpoint_services: LcEndpointServicesTable;
  lc_service_permissions: LcServicePermissionsTable;
  lc_vpc_endpoints: LcVpcEndpointsTable;
};

/**
 * The shared store seen by the AWS emulation: the store's tables plus the lc_* tables, added
 * with Kysely's `withTables` (the same connection, pool and plugins, no second driver). The
 * emulation's repositories query only lc_* tables.
 */
export type LocalCloudDatabase = Schema & LocalCloudSchema;

/** The database or an open transaction, typed for the lc_* tables. */
export type LcExecutor = Kysely<LocalCloudDatabase> | Transaction<LocalCloudDatabase>;

/** The shared store's Kysely instance, typed for the lc_* tables. */
export function localCloudDb(store: Store): Kysely<LocalCloudDatabase> {
  return store.db.withTables<LocalCloudSchema>();
}

/**
 * Runs `work` in one transaction of the shared store under the AWS emulator's lock
 * (inEmulatorTransaction: requests of this process queue in memory for it, and `notice` goes out
 * when it commits), typed for the lc_* tables.
 */
export function inLocalCloudTransaction<T>(store: Store, work: (trx: Transaction<LocalCloudDatabase>) => Promise<T>, notice?: CommitNotice): Promise<T> {
  return inEmulatorTransaction(store, EMULATOR_LOCK_KEYS.AWS, (trx) => work(trx.withTables<LocalCloudSchema>()), notice);
}

/** Runs read-only `work` on a consistent picture of the local cloud's committed tables, without the emulator lock (Store.readConsistent). */
export function readLocalCloud<T>(store: Store, work: (trx: Transaction<LocalCloudDatabase>) => Promise<T>): Promise<T> {
  return store.readConsistent((trx) => work(trx.withTables<LocalCloudSchema>()));
}

/** JSON text for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** A listing's rows in creation order (`seq`); with a window, only the rows after its `after`, at most its `limit`. */
export function inWindow<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, window: SeqWindow | undefined): SelectQueryBuilder<DB, TB, O> {
  let windowed = query.orderBy(sql.ref('seq'));
  if (window) windowed = windowed.where(sql.ref('seq'), '>', window.after);
  if (window?.limit !== undefined) windowed = windowed.limit(window.limit);
  return windowed;
}
