import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';

/**
 * Row types of the `lc_gcp_*` tables (migration 0001-gcp-emulation). Timestamps are timestamptz
 * (read as Date on both backends); JSON columns are jsonb written as JSON text.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

/** A Compute JSON value as stored. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface LcGcpSettingsTable {
  key: string;
  value: string;
}
export interface LcGcpFaultsTable {
  operation: string;
  fault: Json<unknown>;
  remaining: number | null;
}
export interface LcGcpProjectsTable {
  role: string;
  project_id: string;
  project_number: string;
  client_email: string;
  client_id: string;
  private_key_id: string;
  private_key: string;
  public_key: string;
  refresh_token: string;
  created_at: Generated<Date>;
}
export interface LcGcpTokensTable {
  token_hash: string;
  project_id: string;
  expires_at: Timestamp;
}
export interface LcGcpResourcesTable {
  project: string;
  scope: string;
  collection: string;
  name: string;
  seq: Generated<number>;
  id: string;
  body: Json<JsonObject>;
  ref: string | null;
  ready_at: Timestamp;
  gone_at: NullableTimestamp;
  created_at: Timestamp;
}
export interface LcGcpOperationsTable {
  name: string;
  project: string;
  scope: string;
  request_id: string | null;
  body: Json<JsonObject>;
  due_at: Timestamp;
  created_at: Timestamp;
}

/** The GCP emulation's tables, for a Kysely instance over the shared store. */
export interface GcpSchema {
  lc_gcp_settings: LcGcpSettingsTable;
  lc_gcp_faults: LcGcpFaultsTable;
  lc_gcp_projects: LcGcpProjectsTable;
  lc_gcp_tokens: LcGcpTokensTable;
  lc_gcp_resources: LcGcpResourcesTable;
  lc_gcp_operations: LcGcpOperationsTable;
}

/** The database or an open transaction, typed for the lc_gcp_* tables. */
export type GcpExecutor = Kysely<GcpSchema> | Transaction<GcpSchema>;

/** The shared store's Kysely instance, typed for the lc_gcp_* tables. */
export function gcpDb(store: Store): Kysely<GcpSchema> {
  return store.db as unknown as Kysely<GcpSchema>;
}

/** JSON text for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
