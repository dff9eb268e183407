import type { AppEndpointServiceRecord } from '../domain/appservices-endpoint.js';
import type { Logger } from '../logging/logger.js';
import type { CloudProviderAdapter, EndpointServiceSpec, ListenerSpec } from '../providers/cloud-provider.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import type { Store } from '../store/database.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import type { CrashPoints } from './crash-points.js';
import type { ProviderAccountAccessor } from './provider-accounts.js';
import type { ProviderPlacement } from './provider-placement.js';

/** Where the reconcilers learn which listeners an endpoint service needs (port-per-node targets). */
export interface ListenerDirectory {
  /** The load-balancer listeners the service should have now (empty until clusters have targets). */
  listenersFor(service: EndpointServiceRecord): Promise<ListenerSpec[]>;
  /**
   * How many listeners the service's load balancer needs once every target runs: one per port
   * allocated to the project region's clusters (not being deleted). Read at placement time, when
   * nodes may not run yet.
   */
  listenersNeeded(service: EndpointServiceRecord): Promise<number>;
  /** The one listener (port 27017 → the instance's front end) of a serverless private endpoint's service; empty until the front end runs. */
  frontEndListeners(instanceId: string): Promise<ListenerSpec[]>;
  /** The listeners of an App Services endpoint service (→ the App Services front end); none until it runs. */
  appServicesListeners?(service: AppEndpointServiceRecord): Promise<ListenerSpec[]>;
}

/** What every reconcile function gets. */
export interface ReconcileContext {
  readonly store: Store;
  /** The cloud adapters, by provider. */
  readonly providers: ProviderRegistry;
  readonly listeners: ListenerDirectory;
  readonly crash: CrashPoints;
  readonly log: Logger;
  readonly notFoundGraceMs: number;
  /** DNS domain of cluster hostnames (for connection-string events). */
  readonly domain: string;
  /** The provider account pool (placement and account access); absent: every service lives in the configured account. */
  readonly pool?: { readonly placement: ProviderPlacement; readonly accounts: ProviderAccountAccessor };
  now(): Date;
}

/** Poll interval while waiting on the provider: fast right after a change, slower later. */
export function pollInterval(since: Date, now: Date): number {
  const age = now.getTime() - since.getTime();
  if (age < 2_000) return 25;
  if (age < 30_000) return 500;
  if (age < 300_000) return 2_000;
  return 10_000;
}

/** Builds the provider spec of a service (with its listeners: the service reconciler's job). */
export async function serviceSpec(ctx: ReconcileContext, service: EndpointServiceRecord, region: string): Promise<EndpointServiceSpec> {
  return { ...connectionSpec(service, region), listeners: await ctx.listeners.listenersFor(service) };
}

/** The provider spec of a service for connection calls, which do not look at listeners. */
export function connectionSpec(service: EndpointServiceRecord, region: string): EndpointServiceSpec {
  const layout = service.detail.cloud === 'GCP' && !service.detail.portMappingEnabled ? 'attachmentSet' : 'portMapped';
  return { id: service.id, projectId: service.projectId, region, listeners: [], layout };
}

/** Atlas's wording for an unexpected provider failure in `errorMessage`, naming the cloud's API (`… from AWS API.`). */
export function providerFailureMessage(adapter: CloudProviderAdapter, what: string, code: string, message: string): string {
  return `Failed to ${what} due to an unexpected error with code={${code}} and message={${message}} from ${adapter.apiName} API.`;
}

/**
 * Syncs the listeners of a service the pass has just made, in that pass (the provider took the
 * create and is already done, as the local cloud without delays is), and logs it as `what` (the
 * object's name in log lines). Resolves false, with a log line and nothing thrown, when the sync
 * fails: the pass then publishes what it had before it looked, and the next pass syncs them as it
 * would any drift.
 */
export async function syncListenersOfNew(
  ctx: ReconcileContext,
  adapter: CloudProviderAdapter,
  spec: EndpointServiceSpec,
  ref: Readonly<Record<string, unknown>>,
  what: string,
  fields: Record<string, unknown>,
): Promise<boolean> {
  try {
    await adapter.syncListeners(spec, ref);
  } catch (error) {
    ctx.log.info(`${what} just made: listeners not synced yet; the next pass syncs them`, { ...fields, error: String(error) });
    return false;
  }
  ctx.log.info(`${what} listeners synced`, { ...fields, listeners: spec.listeners.length });
  return true;
}
