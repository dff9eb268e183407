import type { ColumnType, Generated } from 'kysely';

/** Row types of the App Services tables (migration 0007), part of `Schema`. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface AppServicesAppsTable {
  id: string;
  project_id: string;
  name: string;
  client_app_id: string;
  deployment_model: string;
  provider_region: string;
  location: string;
  environment: string | null;
  product: string;
  allow_non_vpc_client_requests: Generated<boolean>;
  data_source_id: string;
  data_source: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppServicesSessionsTable {
  id: string;
  api_key_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AppServicesEndpointServicesTable {
  id: string;
  project_id: string;
  provider_region: string;
  endpoint_type: string;
  status: string;
  error_message: string | null;
  service_name: string | null;
  delete_requested: Generated<boolean>;
  provider_ref: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppServicesPrivateEndpointsTable {
  id: string;
  project_id: string;
  app_id: string;
  endpoint_type: string;
  cloud_provider_region: string;
  cloud_provider_endpoint_id: string;
  comment: string | null;
  status: string;
  status_message: string | null;
  delete_requested: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An entry of an app's IP access list (migration 0017). */
export interface AppServicesAccessListTable {
  id: string;
  project_id: string;
  app_id: string;
  address: string;
  comment: string | null;
  created_at: Timestamp;
}
