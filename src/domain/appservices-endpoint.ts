import type { EndpointServiceStatus } from './endpoint-service.js';
import type { ObservedConnection } from './interface-endpoint.js';

/**
 * App Services private endpoints. Two kinds: `general` (client HTTP requests) and `sync` (Sync
 * WebSocket connections); a sync endpoint must be paired with a general one. The spec's `legacy`
 * type is shown for old endpoints but cannot be created.
 */
export const APP_ENDPOINT_TYPES = ['general', 'sync'] as const;
export type AppEndpointType = (typeof APP_ENDPOINT_TYPES)[number];

/**
 * privlink's view of a registered endpoint (the spec has no status; these fields are privlink's):
 * - `PENDING`: registered, the connection to the App Services endpoint service is being checked and accepted;
 * - `AVAILABLE`: the connection is accepted, requests through it reach the app;
 * - `REJECTED`: the VPC endpoint does not exist, or is not connected to this type's service in this region;
 * - `INVALIDATED`: the app's deployment model or region changed; the endpoint no longer serves the app.
 */
export const APP_ENDPOINT_STATUSES = ['PENDING', 'AVAILABLE', 'REJECTED', 'INVALIDATED'] as const;
export type AppEndpointStatus = (typeof APP_ENDPOINT_STATUSES)[number];

export interface AppEndpointRecord {
  readonly id: string;
  readonly projectId: string;
  readonly appId: string;
  readonly endpointType: AppEndpointType;
  /** App Services region id, e.g. `aws-us-east-1`. */
  readonly cloudProviderRegion: string;
  readonly cloudProviderEndpointId: string;
  readonly comment: string | null;
  readonly status: AppEndpointStatus;
  readonly statusMessage: string | null;
  readonly deleteRequested: boolean;
  readonly createdAt: Date;
}

/** An AWS interface endpoint id as AWS issues them: `vpce-` and 8 or 17 hex digits. */
export function isVpcEndpointId(value: unknown): value is string {
  return typeof value === 'string' && /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value);
}

/** What to do with one registered endpoint's connection on a reconcile pass. */
export interface AppEndpointDecision {
  readonly status: AppEndpointStatus;
  readonly statusMessage: string | null;
  readonly action: 'accept' | 'reject' | 'none' | 'forget';
}

/**
 * The connection of one app private endpoint as a decision table (pure). `connection` is what the
 * App Services endpoint service of the endpoint's type and region sees of the `vpce-…`.
 *
 * | deleteRequested | status      | connection                    | → status    | action |
 * |-----------------|-------------|-------------------------------|-------------|--------|
 * | yes             | any         | pendingAcceptance / available | (row goes)  | reject, then forget next pass |
 * | yes             | any         | other                         | (row goes)  | forget |
 * | no              | INVALIDATED | pendingAcceptance / available | INVALIDATED | reject |
 * | no              | INVALIDATED | other                         | INVALIDATED | none   |
 * | no              | any         | pendingAcceptance             | PENDING     | accept |
 * | no              | any         | available                     | AVAILABLE   | none   |
 * | no              | any         | pending / serviceNotReady     | PENDING     | none (wait) |
 * | no              | any         | absent / rejected / failed / other | REJECTED | none (message says why) |
 */
export function decideAppEndpoint(endpoint: AppEndpointRecord, connection: ObservedConnection, serviceName: string): AppEndpointDecision {
  const live = connection.state === 'pendingAcceptance' || connection.state === 'pending' || connection.state === 'available';
  if (endpoint.deleteRequested) return { status: endpoint.status, statusMessage: endpoint.statusMessage, action: live ? 'reject' : 'forget' };
  if (endpoint.status === 'INVALIDATED') return { status: 'INVALIDATED', statusMessage: endpoint.statusMessage, action: live ? 'reject' : 'none' };
  if (connection.state === 'pendingAcceptance') return { status: 'PENDING', statusMessage: null, action: 'accept' };
  if (connection.state === 'available') return { status: 'AVAILABLE', statusMessage: null, action: 'none' };
  if (connection.state === 'pending' || connection.state === 'serviceNotReady') return { status: 'PENDING', statusMessage: null, action: 'none' };
  return {
    status: 'REJECTED',
    statusMessage: `VPC endpoint ${endpoint.cloudProviderEndpointId} does not exist in ${endpoint.cloudProviderRegion} or is not connected to the ${endpoint.endpointType} endpoint service ${serviceName}; create it with that service name and register it again.`,
    action: 'none',
  };
}

/** An App Services endpoint service as stored: one per project, AWS region and endpoint type. */
export interface AppEndpointServiceRecord {
  readonly id: string;
  readonly projectId: string;
  /** App Services region id (`aws-us-east-1`). */
  readonly providerRegion: string;
  readonly endpointType: AppEndpointType;
  readonly status: EndpointServiceStatus;
  readonly errorMessage: string | null;
  readonly serviceName: string | null;
  readonly deleteRequested: boolean;
  readonly providerRef: Record<string, unknown>;
  readonly createdAt: Date;
}
