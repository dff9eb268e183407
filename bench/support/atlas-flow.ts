// The steps of the private-endpoint flow (README "Walkthrough") as a benchmark drives them, for
// AWS, Azure and GCP: the provider side on the Admin API with Digest auth, the customer side with
// that cloud's official SDK against the local cloud (a `CustomerSide`: customer-vpc.ts,
// customer-vnet.ts, customer-psc.ts). Every wait is a poll with a fixed pause between one response and the next
// request.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AtlasClient, AtlasResponse } from '../../src/client/atlas-client.js';

/** Raised when a step answers something the flow does not expect (a benchmark run is then void). */
export class FlowError extends Error {
  override readonly name = 'FlowError';
}

/** Atlas's `providerName` / `cloudProvider` of the clouds the flow drives. */
export type Provider = 'AWS' | 'AZURE' | 'GCP';

/** What differs between the clouds on the Admin API, in Atlas's own field names. */
interface ProviderShape {
  /** The region the service is created in, as the cloud names it. */
  readonly region: string;
  /** The service's field that the customer's endpoint connects to, once AVAILABLE (GCP: its first service attachment). */
  readonly targetField: 'endpointServiceName' | 'privateLinkServiceResourceId' | 'serviceAttachmentNames';
  /** What else the create body carries (GCP: port mapping, one attachment and one forwarding rule). */
  readonly createExtra?: Record<string, unknown>;
  /** The endpoint's status field. */
  readonly endpointStatusField: 'connectionStatus' | 'status';
}

const SHAPES: Readonly<Record<Provider, ProviderShape>> = {
  AWS: { region: 'us-east-1', targetField: 'endpointServiceName', endpointStatusField: 'connectionStatus' },
  AZURE: { region: 'eastus2', targetField: 'privateLinkServiceResourceId', endpointStatusField: 'status' },
  GCP: { region: 'us-central1', targetField: 'serviceAttachmentNames', endpointStatusField: 'status', createExtra: { portMappingEnabled: true } },
};

/**
 * The customer's side of the flow on one cloud: makes an endpoint to the provider's service and
 * says what to register with Atlas. Set up (untimed) before the runs; one instance per cloud.
 */
export interface CustomerSide {
  /** The cloud this customer lives in. */
  readonly provider: Provider;
  /** What `createEndpoint` does, for the table (e.g. `DescribeVpcs+Subnets, CreateVpcEndpoint`). */
  readonly steps: string;
  /**
   * Creates an endpoint to `target` (the service's `endpointServiceName` on AWS, its
   * `privateLinkServiceResourceId` on Azure, its service attachment on GCP) and returns its id
   * and the body of the Atlas POST that registers it. Throws FlowError (or the SDK's error) when
   * the cloud refuses.
   */
  createEndpoint(target: string): Promise<{ id: string; registration: Record<string, unknown> }>;
  /** Deletes an endpoint `createEndpoint` made; waits until the cloud says it is gone. */
  deleteEndpoint(id: string): Promise<void>;
  /** Releases the SDK clients. */
  close(): void;
}

export interface PollOptions {
  /** Pause after each response before the next request, ms. */
  readonly intervalMs: number;
  /** Give up after this long, ms (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * GETs `path` every `intervalMs` until `done(response)` is true; returns that response and how
 * many GETs it took. Throws FlowError when `failed(response)` says so or on timeout.
 */
export async function pollUntil(
  client: AtlasClient,
  path: string,
  done: (response: AtlasResponse) => boolean,
  options: PollOptions & { failed?: (response: AtlasResponse) => string | undefined },
): Promise<{ response: AtlasResponse; polls: number }> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  for (let polls = 1; ; polls++) {
    const response = await client.get(path);
    if (done(response)) return { response, polls };
    const failure = options.failed?.(response);
    if (failure) throw new FlowError(`GET ${path}: ${failure}`);
    if (performance.now() > deadline) throw new FlowError(`GET ${path}: still ${response.status} ${response.text.slice(0, 200)} after ${options.timeoutMs ?? 30_000} ms`);
    await sleep(options.intervalMs);
  }
}

type Json = Record<string, unknown>;
const field = (response: AtlasResponse, name: string): unknown => (response.json as Json | undefined)?.[name];

/** `…/privateEndpoint/endpointService` (create) or `…/privateEndpoint/{provider}/endpointService/{id}`. */
export function servicePath(projectId: string, provider?: Provider, serviceId?: string): string {
  const base = `/api/atlas/v2/groups/${projectId}/privateEndpoint`;
  return provider === undefined || serviceId === undefined ? `${base}/endpointService` : `${base}/${provider}/endpointService/${serviceId}`;
}

/** `…/endpointService/{id}/endpoint/{endpointId}`; Azure's endpoint ids are resource paths, hence the encoding. */
export function endpointPath(projectId: string, provider: Provider, serviceId: string, endpointId: string): string {
  return `${servicePath(projectId, provider, serviceId)}/endpoint/${encodeURIComponent(endpointId)}`;
}

/** POSTs an endpoint service in the provider's benchmark region (201 INITIATING); returns its id. */
export async function createService(client: AtlasClient, projectId: string, provider: Provider): Promise<string> {
  const created = await client.post(servicePath(projectId), { providerName: provider, region: SHAPES[provider].region, ...SHAPES[provider].createExtra });
  if (created.status !== 201 || typeof field(created, 'id') !== 'string') throw new FlowError(`POST endpointService: ${created.status} ${created.text.slice(0, 300)}`);
  return field(created, 'id') as string;
}

/**
 * Polls the service until AVAILABLE; returns what the customer's endpoint connects to
 * (`endpointServiceName` on AWS, `privateLinkServiceResourceId` on Azure).
 */
export async function waitServiceAvailable(
  client: AtlasClient,
  projectId: string,
  provider: Provider,
  serviceId: string,
  poll: PollOptions,
): Promise<{ target: string; polls: number }> {
  const { response, polls } = await pollUntil(client, servicePath(projectId, provider, serviceId), (r) => r.status === 200 && field(r, 'status') === 'AVAILABLE', {
    ...poll,
    failed: (r) => (r.status !== 200 ? `${r.status} ${r.text.slice(0, 300)}` : field(r, 'status') === 'FAILED' ? `FAILED: ${String(field(r, 'errorMessage'))}` : undefined),
  });
  const value = field(response, SHAPES[provider].targetField);
  const target = Array.isArray(value) ? value[0] : value;
  if (typeof target !== 'string' || target === '') throw new FlowError(`service AVAILABLE without ${SHAPES[provider].targetField}: ${response.text.slice(0, 300)}`);
  return { target, polls };
}

/** POSTs the customer's endpoint to the service (201): `{id}` on AWS, `{id, privateEndpointIPAddress}` on Azure, the endpoint group on GCP. */
export async function registerEndpoint(client: AtlasClient, projectId: string, provider: Provider, serviceId: string, registration: Record<string, unknown>): Promise<void> {
  const registered = await client.post(`${servicePath(projectId, provider, serviceId)}/endpoint`, registration);
  if (registered.status !== 201) throw new FlowError(`POST endpoint: ${registered.status} ${registered.text.slice(0, 300)}`);
}

/** Polls the endpoint until its status (`connectionStatus` on AWS, `status` on Azure) is AVAILABLE. */
export async function waitEndpointAvailable(
  client: AtlasClient,
  projectId: string,
  provider: Provider,
  serviceId: string,
  endpointId: string,
  poll: PollOptions,
): Promise<{ polls: number }> {
  const statusField = SHAPES[provider].endpointStatusField;
  const { polls } = await pollUntil(client, endpointPath(projectId, provider, serviceId, endpointId), (r) => r.status === 200 && field(r, statusField) === 'AVAILABLE', {
    ...poll,
    failed: (r) => {
      if (r.status !== 200) return `${r.status} ${r.text.slice(0, 300)}`;
      const status = field(r, statusField);
      return status === 'REJECTED' || status === 'FAILED' ? `${String(status)}: ${String(field(r, 'errorMessage'))}` : undefined;
    },
  });
  return { polls };
}

/** DELETEs the service (202) and polls until it is gone (404). */
export async function deleteService(client: AtlasClient, projectId: string, provider: Provider, serviceId: string, poll: PollOptions): Promise<void> {
  const path = servicePath(projectId, provider, serviceId);
  const deleted = await client.delete(path);
  if (deleted.status !== 202) throw new FlowError(`DELETE endpointService: ${deleted.status} ${deleted.text.slice(0, 300)}`);
  await pollUntil(client, path, (r) => r.status === 404, {
    ...poll,
    failed: (r) => (r.status !== 200 ? `${r.status} ${r.text.slice(0, 300)}` : undefined),
  });
}
