import type { ColumnType, Generated } from 'kysely';
import type {
  AppServicesAccessListTable,
  AppServicesAppsTable,
  AppServicesEndpointServicesTable,
  AppServicesPrivateEndpointsTable,
  AppServicesSessionsTable,
} from './appservices-schema.js';

/**
 * Row types of privlink's own tables (the local cloud keeps its tables and types under
 * `src/localcloud/`). Columns are snake_case; repositories map them to domain names.
 * Timestamps are `timestamptz` (read as Date on both backends); JSON columns are `jsonb`
 * written as JSON text.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  payment_on_file: boolean;
  created_at: Timestamp;
}

export interface ProjectsTable {
  id: string;
  org_id: string;
  name: string;
  /** Five lower-case characters used in hostnames (`cluster0.<host_suffix>.<domain>`). */
  host_suffix: string;
  regionalized_private_endpoints: boolean;
  nodes_per_private_link_region: number;
  nodes_per_private_link_region_raised: boolean;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  public_key: string;
  /** Digest HA1 = MD5(publicKey:realm:privateKey); the private key itself is never stored. */
  ha1_md5: string;
  /** Digest HA1 with SHA-256. */
  ha1_sha256: string;
  description: string;
  created_at: Timestamp;
}

export interface ApiKeyOrgRolesTable {
  api_key_id: string;
  role: string;
}

export interface ApiKeyProjectRolesTable {
  api_key_id: string;
  project_id: string;
  role: string;
}

export interface ClustersTable {
  id: string;
  project_id: string;
  name: string;
  /** The desired ClusterSpec (domain/cluster.ts). */
  spec: Json<unknown>;
  state_name: string;
  delete_requested: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EndpointServicesTable {
  id: string;
  project_id: string;
  provider: string;
  region_name: string;
  status: string;
  error_message: string | null;
  endpoint_service_name: string | null;
  delete_requested: boolean;
  /** The provider's identifiers and the create-pending journal (providers/cloud-provider.ts). */
  provider_ref: Json<Record<string, unknown>>;
  /** Provider detail Atlas publishes (domain `ServiceDetail`); `{}` on rows older than the column. */
  provider_detail: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InterfaceEndpointsTable {
  endpoint_service_id: string;
  endpoint_id: string;
  project_id: string;
  provider: string;
  region_name: string;
  status: string;
  error_message: string | null;
  delete_requested: boolean;
  /** `n` of the endpoint's hostnames `pl-<n>-<region>…`: smallest free index in its project region. */
  pl_index: Generated<number>;
  /** DNS names AWS gave the customer's endpoint (regional first), as observed. */
  dns_names: ColumnType<unknown, string | undefined, string>;
  /** Provider detail of the registration (domain `EndpointDetail`); `{}` on rows older than the column. */
  provider_detail: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServerlessInstancesTable {
  id: string;
  project_id: string;
  name: string;
  /** The desired ServerlessInstanceSpec (domain/serverless-instance.ts). */
  spec: Json<unknown>;
  state_name: string;
  delete_requested: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServerlessEndpointsTable {
  id: string;
  project_id: string;
  instance_id: string;
  provider: string;
  region_name: string;
  status: string;
  comment: string | null;
  error_message: string | null;
  endpoint_service_name: string | null;
  /** Provider detail of the reserved service (domain `ServiceDetail`). */
  service_detail: Json<unknown>;
  cloud_provider_endpoint_id: string | null;
  private_endpoint_ip_address: string | null;
  initiated_at: Timestamp | null;
  /** `n` of `<instance>-pe-<n>`: smallest free index of the instance. */
  pe_index: number;
  delete_requested: boolean;
  /** The adapter's ref and the create-pending mark (reconciler/stored-ref.ts). */
  provider_ref: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DatabaseUsersTable {
  id: string;
  project_id: string;
  /** Authentication database: always `admin` (SCRAM users). */
  database_name: string;
  username: string;
  /** The DatabaseUserSpec (domain/database-user.ts); deleteAfterDate as ISO text. */
  spec: Json<unknown>;
  /** ScramCredentials (domain/scram.ts): never the password. */
  credentials: Json<unknown>;
  delete_after_date: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PortAllocationsTable {
  project_id: string;
  provider: string;
  region_name: string;
  /** Load-balancer port, 1024–65535, unique per (project, provider, region). */
  port: number;
  cluster_id: string;
  /** The addressable target's name within its cluster (domain/cluster.ts), or `mongos-lb-<region>`. */
  target_name: string;
}

export interface ReconcileQueueTable {
  kind: string;
  key: string;
  due_at: Timestamp;
  /** Bumped by every enqueue, so a pass that finished on an older generation does not drop a newer wake-up. */
  generation: Generated<number>;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** `X-Request-Id` of the Admin API request that last enqueued the item (null: resync or the reconciler). */
  request_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** W3C `traceparent` of the span that last enqueued the item (null: tracing off, resync). */
  trace_parent: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EventsTable {
  id: string;
  org_id: string;
  project_id: string | null;
  event_type: string;
  target_id: string | null;
  payload: Json<Record<string, unknown>>;
  /** Object kind, old and new status and sub-state (migration 0013); null on older rows. */
  transition: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface ProviderAccountsTable {
  id: string;
  provider: string;
  name: string;
  kind: string;
  access_key_id: string | null;
  secret_access_key: string | null;
  role_arn: string | null;
  subscription_id: Generated<string | null>;
  tenant_id: Generated<string | null>;
  client_id: Generated<string | null>;
  client_secret: Generated<string | null>;
  project_id: Generated<string | null>;
  service_account_key: Generated<string | null>;
  state: string;
  created_at: Generated<Date>;
}
export interface ProviderPlacementsTable {
  service_id: string;
  account_id: string;
  provider: string;
  region_name: string;
  project_id: string;
  created_at: Generated<Date>;
}
/** The projects whose public routes may have changed, noted by triggers (migration 0021); `xid` is the writing transaction's id. */
export interface PublicRouteChangesTable {
  seq: Generated<string>;
  xid: Generated<string>;
  project_id: string;
  at: Generated<Date>;
}
/** Placements per account and region, kept by a trigger on provider_placements (migration 0020). */
export interface ProviderPlacementCountsTable {
  account_id: string;
  region_name: string;
  provider: string;
  placements: number;
}
export interface ProviderQuotaReadingsTable {
  account_id: string;
  region_name: string;
  reading: ColumnType<unknown, string, string>;
  read_at: ColumnType<Date, Date | string, Date | string>;
}
export interface AccessListEntriesTable {
  project_id: string;
  /** Canonical CIDR block or AWS security group id (domain/access-list.ts). */
  entry_key: string;
  kind: string;
  comment: string | null;
  delete_after_date: Timestamp | null;
  created_at: Timestamp;
}

export interface Schema {
  simulated_node_addresses: SimulatedNodeAddressesTable;
  provider_quota_readings: ProviderQuotaReadingsTable;
  provider_accounts: ProviderAccountsTable;
  provider_placements: ProviderPlacementsTable;
  provider_placement_counts: ProviderPlacementCountsTable;
  public_route_changes: PublicRouteChangesTable;
  settings: SettingsTable;
  organizations: OrganizationsTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  api_key_org_roles: ApiKeyOrgRolesTable;
  api_key_project_roles: ApiKeyProjectRolesTable;
  clusters: ClustersTable;
  endpoint_services: EndpointServicesTable;
  interface_endpoints: InterfaceEndpointsTable;
  serverless_instances: ServerlessInstancesTable;
  serverless_endpoints: ServerlessEndpointsTable;
  database_users: DatabaseUsersTable;
  port_allocations: PortAllocationsTable;
  reconcile_queue: ReconcileQueueTable;
  events: EventsTable;
  appservices_apps: AppServicesAppsTable;
  appservices_sessions: AppServicesSessionsTable;
  appservices_endpoint_services: AppServicesEndpointServicesTable;
  appservices_private_endpoints: AppServicesPrivateEndpointsTable;
  appservices_access_list: AppServicesAccessListTable;
  console_sessions: ConsoleSessionsTable;
  console_users: ConsoleUsersTable;
  console_user_org_roles: ConsoleUserOrgRolesTable;
  console_user_project_roles: ConsoleUserProjectRolesTable;
  access_list_entries: AccessListEntriesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

/** Where a simulated node of the local cloud listens (migration 0019); `owner_id` is its cluster. */
export interface SimulatedNodeAddressesTable {
  owner_id: string;
  target_name: string;
  host: string;
  port: number;
}

/** A project webhook (migration 0013). `secret` signs deliveries and is never returned by the API after creation. */
export interface WebhooksTable {
  id: string;
  project_id: string;
  url: string;
  secret: string;
  enabled: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  created_at: Timestamp;
}

/** One event to deliver to one webhook: PENDING until DELIVERED or FAILED (attempts exhausted). */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  state: string;
  attempts: number;
  due_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

/** One HTTP attempt of a delivery (the delivery log). */
export interface WebhookAttemptsTable {
  id: string;
  webhook_id: string;
  delivery_id: string;
  event_id: string;
  attempt: number;
  /** `SUCCESS` (2xx) or `FAILURE`. */
  outcome: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  started_at: Timestamp;
}

/** A web console session (migration 0010): the token itself is never stored, only its SHA-256. */
export interface ConsoleSessionsTable {
  token_sha256: string;
  /** The API key the session acts as, or null for a console user's session (migration 0016). */
  api_key_id: string | null;
  /** The console user the session acts as, or null for an API key's session (migration 0016). */
  console_user_id: string | null;
  csrf_token: string;
  created_at: Generated<Timestamp>;
  last_seen_at: Timestamp;
}

/** A console user (migration 0016): signs in to the web console with email and password. */
export interface ConsoleUsersTable {
  id: string;
  org_id: string;
  /** Lower case; unique across the store. */
  email: string;
  /** bcrypt (`$2b$…`); the password itself is never stored. */
  password_hash: string;
  created_at: Timestamp;
}

export interface ConsoleUserOrgRolesTable {
  console_user_id: string;
  role: string;
}

export interface ConsoleUserProjectRolesTable {
  console_user_id: string;
  project_id: string;
  role: string;
}
