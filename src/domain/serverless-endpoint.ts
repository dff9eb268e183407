import { decideEndpointService, emptyServiceDetail, type ObservedEndpointService, type ServiceDetail } from './endpoint-service.js';
import { apiError } from './errors.js';
import {
  AWS_ENDPOINT_ID,
  AZURE_PRIVATE_ENDPOINT_ID,
  decideInterfaceEndpoint,
  IPV4_ADDRESS,
  type ConnectionStatus,
  type EndpointDetail,
  type ObservedConnection,
  type ProviderWording,
} from './interface-endpoint.js';
import type { CloudProvider } from './regions.js';

/**
 * A serverless instance's private endpoint (Atlas's "tenant endpoint"): privlink reserves one
 * endpoint service of its own for it, the customer connects their endpoint and registers its id.
 *
 * RESERVATION_REQUESTED → RESERVED (service made; `endpointServiceName` set) → INITIATING (after
 * PATCH with the customer's endpoint id) → AVAILABLE | FAILED; DELETING once deletion is asked for,
 * until the provider service is gone (then the row goes and GET answers 404).
 */
export const SERVERLESS_ENDPOINT_STATUSES = ['RESERVATION_REQUESTED', 'RESERVED', 'INITIATING', 'AVAILABLE', 'FAILED', 'DELETING'] as const;
export type ServerlessEndpointStatus = (typeof SERVERLESS_ENDPOINT_STATUSES)[number];

/** The clouds serverless private endpoints exist on (no Private Service Connect, as Atlas). */
export type ServerlessEndpointProvider = Extract<CloudProvider, 'AWS' | 'AZURE'>;

/** Longest `comment` (Atlas's maxLength). */
export const SERVERLESS_COMMENT_LENGTH = 80;

/** One serverless private endpoint as privlink keeps it. */
export interface ServerlessEndpointRecord {
  /** `_id` on the wire; also the id of its provider endpoint service (names, tags, client tokens). */
  readonly id: string;
  readonly projectId: string;
  readonly instanceId: string;
  readonly provider: ServerlessEndpointProvider;
  /** Atlas region name (the instance's). */
  readonly regionName: string;
  readonly status: ServerlessEndpointStatus;
  readonly comment: string | null;
  readonly errorMessage: string | null;
  readonly endpointServiceName: string | null;
  /** Azure's private link service resource id once made. */
  readonly serviceDetail: ServiceDetail;
  /** The customer's endpoint (AWS `vpce-…`, Azure private endpoint resource id), once PATCHed. */
  readonly cloudProviderEndpointId: string | null;
  /** Azure: the private endpoint's IP address the customer registered. */
  readonly privateEndpointIpAddress: string | null;
  /** When the customer's endpoint id was registered (the not-found grace runs from here). */
  readonly initiatedAt: Date | null;
  /** `n` of its names `<instance>-pe-<n>` / `pe-<n>-<instance>`: smallest free index of the instance. */
  readonly peIndex: number;
  readonly deleteRequested: boolean;
  /** The adapter's ref with the reconciler's create-pending mark (see reconciler/stored-ref.ts). */
  readonly providerRef: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Parses a POST body (`ServerlessTenantCreateRequest`, may be `{}`): the comment, at most 80 characters. */
export function parseServerlessEndpointCreate(body: unknown): { comment: string | null } {
  const input = body === undefined || body === null ? {} : body;
  if (typeof input !== 'object' || Array.isArray(input)) throw apiError('INVALID_ATTRIBUTE', 'body');
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== 'comment') throw apiError('INVALID_ATTRIBUTE', key);
  return { comment: parseComment(record.comment) };
}

/** What a PATCH asks (`ServerlessTenantEndpointUpdate`). */
export interface ServerlessEndpointUpdate {
  readonly providerName: ServerlessEndpointProvider;
  readonly cloudProviderEndpointId: string | undefined;
  readonly privateEndpointIpAddress: string | undefined;
  /** Undefined: keep the comment. */
  readonly comment: string | null | undefined;
}

const UPDATE_ATTRIBUTES = new Set(['providerName', 'cloudProviderEndpointId', 'comment', 'privateEndpointIpAddress']);

/**
 * Parses a PATCH body: `providerName` is required (400 MISSING_ATTRIBUTE, as Atlas documents) and
 * must be the instance's cloud; AWS `cloudProviderEndpointId` is a `vpce-` id; Azure a private
 * endpoint resource id with `privateEndpointIpAddress` (IPv4).
 */
export function parseServerlessEndpointUpdate(body: unknown, instanceProvider: ServerlessEndpointProvider): ServerlessEndpointUpdate {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw apiError('INVALID_ATTRIBUTE', 'body');
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!UPDATE_ATTRIBUTES.has(key)) throw apiError('INVALID_ATTRIBUTE', key);
  const provider = input.providerName;
  if (provider === undefined || provider === null) throw apiError('MISSING_ATTRIBUTE', 'providerName');
  if (provider !== 'AWS' && provider !== 'AZURE') throw apiError('INVALID_ENUM_VALUE', provider, 'providerName');
  if (provider !== instanceProvider) throw apiError('TENANT_PRIVATE_ENDPOINT_PROVIDER_MISMATCH', provider, instanceProvider);
  const id = input.cloudProviderEndpointId;
  let cloudProviderEndpointId: string | undefined;
  if (id !== undefined && id !== null) {
    if (typeof id !== 'string' || !(provider === 'AWS' ? AWS_ENDPOINT_ID : AZURE_PRIVATE_ENDPOINT_ID).test(id)) throw apiError('INVALID_ATTRIBUTE', 'cloudProviderEndpointId');
    cloudProviderEndpointId = id;
  }
  const ip = input.privateEndpointIpAddress;
  let privateEndpointIpAddress: string | undefined;
  if (ip !== undefined && ip !== null) {
    if (provider !== 'AZURE' || typeof ip !== 'string' || !IPV4_ADDRESS.test(ip)) throw apiError('INVALID_ATTRIBUTE', 'privateEndpointIpAddress');
    privateEndpointIpAddress = ip;
  }
  if (provider === 'AZURE' && cloudProviderEndpointId !== undefined && privateEndpointIpAddress === undefined) throw apiError('MISSING_ATTRIBUTE', 'privateEndpointIpAddress');
  return { providerName: provider, cloudProviderEndpointId, privateEndpointIpAddress, comment: input.comment === undefined ? undefined : parseComment(input.comment) };
}

function parseComment(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw apiError('INVALID_ATTRIBUTE', 'comment');
  if (value.length > SERVERLESS_COMMENT_LENGTH) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'comment', `${SERVERLESS_COMMENT_LENGTH} characters`, value.length);
  return value;
}

/**
 * Whether a PATCH that sets `cloudProviderEndpointId` may apply now: only once the service is
 * RESERVED (or the same id again, any time before deletion); a different id once one is set is
 * refused. Throws the Atlas-style error; returns false when the PATCH changes nothing but the comment.
 */
export function checkEndpointRegistration(current: ServerlessEndpointRecord, update: ServerlessEndpointUpdate): boolean {
  if (current.deleteRequested) throw apiError('TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID', current.status);
  const id = update.cloudProviderEndpointId;
  if (id === undefined) return false;
  if (current.cloudProviderEndpointId !== null) {
    if (current.cloudProviderEndpointId === id && (update.privateEndpointIpAddress ?? current.privateEndpointIpAddress) === current.privateEndpointIpAddress) return false;
    throw apiError('TENANT_PRIVATE_ENDPOINT_ALREADY_REGISTERED', current.id, current.cloudProviderEndpointId);
  }
  if (current.status !== 'RESERVED') throw apiError('TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID', current.status);
  return true;
}

/** The registered customer endpoint as the adapters take it. */
export function registeredEndpointOf(endpoint: ServerlessEndpointRecord): { endpointId: string; detail: EndpointDetail } | undefined {
  if (!endpoint.cloudProviderEndpointId) return undefined;
  const detail: EndpointDetail =
    endpoint.provider === 'AZURE' ? { cloud: 'AZURE', privateEndpointIPAddress: endpoint.privateEndpointIpAddress ?? '', privateEndpointConnectionName: null } : { cloud: 'AWS' };
  return { endpointId: endpoint.cloudProviderEndpointId, detail };
}

/** One reconcile decision for a serverless private endpoint. */
export interface ServerlessEndpointDecision {
  readonly status: ServerlessEndpointStatus;
  readonly errorMessage: string | null;
  readonly endpointServiceName: string | null;
  readonly serviceDetail: ServiceDetail;
  /** What to ask of the provider's endpoint service (as decideEndpointService). */
  readonly serviceAction: 'create' | 'delete' | 'syncListeners' | 'none' | 'forget';
  /** What to ask of the customer's connection (as decideInterfaceEndpoint); done before serviceAction. */
  readonly connectionAction: 'accept' | 'reject' | 'none';
  readonly settled: boolean;
}

/** Context the decision needs besides the observations. */
export interface ServerlessEndpointContext {
  readonly notFoundGraceMs: number;
  readonly now: Date;
  readonly wording: ProviderWording;
}

/**
 * The serverless private endpoint state machine (pure): the endpoint-service table
 * (decideEndpointService) for the reserved service, then — once the customer's endpoint is
 * registered and the service is ready — the interface-endpoint table (decideInterfaceEndpoint) for
 * its connection, with privlink's connection status in Atlas's serverless words:
 *
 * | deleteRequested | service observed | connection observed        | → status | actions |
 * |-----------------|------------------|----------------------------|----------|---------|
 * | yes             | absent           | —                          | DELETING | forget |
 * | yes             | else             | live                       | DELETING | reject, delete |
 * | yes             | else             | not live                   | DELETING | delete |
 * | no              | absent/provisioning/deleting | —              | RESERVATION_REQUESTED | create (or wait) |
 * | no              | failed           | —                          | FAILED   | none |
 * | no              | ready            | no endpoint registered     | RESERVED | none (or syncListeners) |
 * | no              | ready            | pending acceptance/pending | INITIATING | accept / wait |
 * | no              | ready            | available                  | AVAILABLE | none |
 * | no              | ready            | absent after the grace, other service, rejected… | FAILED | none (errorMessage says why) |
 */
export function decideServerlessEndpoint(
  current: ServerlessEndpointRecord,
  service: ObservedEndpointService,
  connection: ObservedConnection | undefined,
  context: ServerlessEndpointContext,
): ServerlessEndpointDecision {
  const asService = {
    id: current.id,
    projectId: current.projectId,
    provider: current.provider,
    regionName: current.regionName,
    status: 'INITIATING' as const,
    errorMessage: current.errorMessage,
    endpointServiceName: current.endpointServiceName,
    deleteRequested: current.deleteRequested,
    createdAt: current.createdAt,
    detail: current.serviceDetail,
  };
  const serviceDecision = decideEndpointService(asService, service);
  const base = {
    endpointServiceName: serviceDecision.endpointServiceName,
    serviceDetail: serviceDecision.detail,
    serviceAction: serviceDecision.action,
  };
  const registered = registeredEndpointOf(current);
  const connectionDecision =
    registered && connection
      ? decideInterfaceEndpoint(
          {
            endpointServiceId: current.id,
            projectId: current.projectId,
            provider: current.provider,
            endpointId: registered.endpointId,
            status: toConnectionStatus(current.status),
            errorMessage: current.errorMessage,
            deleteRequested: current.deleteRequested,
            createdAt: current.initiatedAt ?? current.updatedAt,
            detail: registered.detail,
          },
          connection,
          { serviceName: serviceDecision.endpointServiceName, notFoundGraceMs: context.notFoundGraceMs, now: context.now, wording: context.wording },
        )
      : undefined;

  if (current.deleteRequested) {
    const reject = connectionDecision?.action === 'reject';
    return {
      ...base,
      status: 'DELETING',
      errorMessage: null,
      endpointServiceName: current.endpointServiceName,
      serviceDetail: current.serviceDetail,
      connectionAction: reject && serviceDecision.action !== 'forget' ? 'reject' : 'none',
      settled: serviceDecision.settled,
    };
  }
  switch (serviceDecision.status) {
    case 'FAILED':
      return { ...base, status: 'FAILED', errorMessage: serviceDecision.errorMessage, connectionAction: 'none', settled: true };
    case 'AVAILABLE':
    case 'WAITING_FOR_USER':
      break;
    default:
      return { ...base, status: 'RESERVATION_REQUESTED', errorMessage: null, connectionAction: 'none', settled: false };
  }
  if (!connectionDecision) return { ...base, status: 'RESERVED', errorMessage: null, connectionAction: 'none', settled: true };
  const status = fromConnectionStatus(connectionDecision.status);
  return {
    ...base,
    status,
    errorMessage: connectionDecision.errorMessage,
    connectionAction: connectionDecision.action === 'accept' ? 'accept' : 'none',
    settled: connectionDecision.settled && base.serviceAction === 'none',
  };
}

function toConnectionStatus(status: ServerlessEndpointStatus): ConnectionStatus {
  switch (status) {
    case 'AVAILABLE':
    case 'DELETING':
      return status;
    case 'FAILED':
      return 'REJECTED';
    default:
      return 'PENDING_ACCEPTANCE';
  }
}

function fromConnectionStatus(status: ConnectionStatus): ServerlessEndpointStatus {
  switch (status) {
    case 'AVAILABLE':
    case 'DELETING':
      return status;
    case 'REJECTED':
      return 'FAILED';
    default:
      return 'INITIATING';
  }
}

/** The empty service detail of a new serverless endpoint. */
export function emptyServerlessServiceDetail(provider: ServerlessEndpointProvider): ServiceDetail {
  return emptyServiceDetail(provider);
}
