import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';

/**
 * Row types of the `lc_azure_*` tables (migration 0001-azure-emulation). Timestamps are
 * timestamptz (read as Date on both backends); JSON columns are jsonb written as JSON text.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

/** An ARM JSON value as stored. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface LcAzureSettingsTable {
  key: string;
  value: string;
}
export interface LcAzureFaultsTable {
  operation: string;
  fault: Json<unknown>;
  remaining: number | null;
}
export interface LcAzureAccountsTable {
  name: string;
  tenant_id: string;
  subscription_id: string;
  client_id: string;
  client_secret: string;
  created_at: Generated<Date>;
}
export interface LcAzureTokensTable {
  token_hash: string;
  tenant_id: string;
  client_id: string;
  expires_at: Timestamp;
}
export interface LcAzureResourceGroupsTable {
  subscription_id: string;
  name_key: string;
  seq: Generated<number>;
  name: string;
  location: string;
  tags: Json<Record<string, string>>;
  created_at: Timestamp;
}
export interface LcAzureResourcesTable {
  id_key: string;
  seq: Generated<number>;
  id: string;
  subscription_id: string;
  resource_group_key: string;
  type: string;
  parent_key: string | null;
  name: string;
  location: string | null;
  tags: Json<Record<string, string>>;
  etag: string;
  properties: Json<JsonObject>;
  provisioning_state: string;
  next_state: string | null;
  next_state_at: NullableTimestamp;
  created_at: Timestamp;
}
export interface LcAzureIpAllocationsTable {
  subnet_key: string;
  ip: string;
  owner_key: string;
}
export interface LcAzureOperationsTable {
  operation_id: string;
  subscription_id: string;
  location: string;
  resource_key: string;
  kind: string;
  status: string;
  error: Json<{ code: string; message: string } | null> | null;
  due_at: Timestamp;
  created_at: Timestamp;
}

/** The Azure emulation's tables, for a Kysely instance over the shared store. */
export interface AzureSchema {
  lc_azure_settings: LcAzureSettingsTable;
  lc_azure_faults: LcAzureFaultsTable;
  lc_azure_accounts: LcAzureAccountsTable;
  lc_azure_tokens: LcAzureTokensTable;
  lc_azure_resource_groups: LcAzureResourceGroupsTable;
  lc_azure_resources: LcAzureResourcesTable;
  lc_azure_ip_allocations: LcAzureIpAllocationsTable;
  lc_azure_operations: LcAzureOperationsTable;
}

/** The database or an open transaction, typed for the lc_azure_* tables. */
export type AzureExecutor = Kysely<AzureSchema> | Transaction<AzureSchema>;

/** The shared store's Kysely instance, typed for the lc_azure_* tables. */
export function azureDb(store: Store): Kysely<AzureSchema> {
  return store.db as unknown as Kysely<AzureSchema>;
}

/** JSON text for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
