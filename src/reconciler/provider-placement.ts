import { inTransaction } from '../app/app-context.js';
import { capacityFailureMessage, decidePlacement, poolProvider, type AccountRegionCapacity, type PlacementDecision } from '../domain/provider-capacity.js';
import type { AccountRegionQuotas, CloudProviderAdapter } from '../providers/cloud-provider.js';
import type { ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import type { ProviderAccountAccessor } from './provider-accounts.js';
import type { ReconcileContext } from './reconcile-context.js';

/**
 * How old the reading of the account a service goes to may be (a placement that finds nothing
 * reads every candidate again at once). The other candidates are ranked by what was read of them
 * last, however old: reading them all on every placement made each replica read every pool
 * account every QUOTA_TTL_MS, reads that grew with the pool and so with the number of services.
 */
export const QUOTA_TTL_MS = 15_000;

/** A quota reading of one account in one region and when it was taken. */
interface QuotaReading {
  readonly at: number;
  readonly value: Promise<AccountRegionQuotas>;
}

/** The outcome of placing a service: in an account, nowhere (FAILED with `message`), unpooled (no pool configured), or not again (it failed to be placed before). */
export type PlacementOutcome =
  | { readonly kind: 'placed'; readonly accountId: string }
  | { readonly kind: 'full'; readonly message: string }
  | { readonly kind: 'unpooled' }
  | { readonly kind: 'stayFailed' };

/**
 * Places endpoint services in the provider account pool by remaining capacity, with project-region
 * affinity (domain/provider-capacity.ts). Quotas are read from the provider: the candidates are
 * ranked by their last readings, and the one a service would go to is read again first when its
 * reading is QUOTA_TTL_MS old (a quota lowered meanwhile is seen before anything is placed under
 * it; one raised weighs in once read again, at the latest when no candidate has room); what is
 * used is counted from the placements, inside a transaction that locks the pool's rows, so two passes never take the same last load balancer and a project region is never
 * split across accounts. The listeners a service's load balancer will need (one per node port of
 * its project region's clusters) are compared with each account's listeners-per-load-balancer
 * quota, so a service that could never get them all is FAILED at placement instead of later.
 */
export class ProviderPlacement {
  private readonly quotas = new Map<string, QuotaReading>();

  constructor(
    private readonly accessor: ProviderAccountAccessor,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The account the service is placed in, after placing it when it was not yet. */
  async place(ctx: ReconcileContext, adapter: CloudProviderAdapter, service: EndpointServiceRecord, providerRegion: string): Promise<PlacementOutcome> {
    const repos = repositories(ctx.store.db);
    const existing = await repos.providerAccounts.placementOf(service.id);
    if (existing) return { kind: 'placed', accountId: existing };
    const capacity = adapter.capacity;
    if (!capacity) return { kind: 'unpooled' };
    const pool = await repos.providerAccounts.listAccounts(service.provider);
    if (pool.length === 0) return { kind: 'unpooled' };
    // A service that found no room stays FAILED (never a retry loop): it is deleted and made again.
    if (service.status === 'FAILED') return { kind: 'stayFailed' };
    // One listener per node port of the project region's clusters, on the service's load balancer.
    const listenersNeeded = await ctx.listeners.listenersNeeded(service);
    for (const fresh of [false, true]) {
      const affinity = await repos.providerAccounts.accountOfProjectRegion(service.projectId, service.provider, service.regionName);
      const candidates = pool.filter((a) => (affinity ? a.id === affinity : a.state === 'ACTIVE'));
      const readings = new Map<string, { at: number; value: AccountRegionQuotas }>();
      const read = async (account: ProviderAccountWithSecret, maxAgeMs: number) => {
        const reading = this.readQuotas(ctx.store, adapter, account, providerRegion, service.regionName, maxAgeMs);
        readings.set(account.id, { at: reading.at, value: await reading.value });
      };
      for (const account of candidates) await read(account, fresh ? 0 : Infinity);
      const old = (id: string) => this.clock() - readings.get(id)!.at >= QUOTA_TTL_MS;
      if (!fresh && candidates.some((a) => old(a.id))) {
        // The account this would go to, by the readings kept, is read again when they are old, until
        // the one it goes to has a recent reading (a lowered quota moves it down the ranking).
        const placed = await repos.providerAccounts.countPlacements(service.provider, service.regionName);
        for (let tries = 0; tries < candidates.length; tries++) {
          const would = decidePlacement(capacitiesOf(candidates, readings, placed, listenersNeeded), affinity);
          const account = would.kind === 'place' ? candidates.find((a) => a.id === would.accountId) : undefined;
          if (!account || !old(account.id)) break;
          await read(account, QUOTA_TTL_MS);
        }
      }
      const decision = await inTransaction(ctx, async ({ repos: { providerAccounts: tx } }) => {
        const locked = await tx.lockAccounts(service.provider);
        const placements = await tx.countPlacements(service.provider, service.regionName);
        const nowAffinity = await tx.accountOfProjectRegion(service.projectId, service.provider, service.regionName);
        // Only recently read accounts take a service (the one read above among them); when none of them has room, all are read again.
        const recent = locked.filter((a) => fresh || this.clock() - (readings.get(a.id)?.at ?? -Infinity) < QUOTA_TTL_MS);
        const capacities = capacitiesOf(recent, readings, placements, listenersNeeded);
        if (nowAffinity !== affinity) return undefined; // another pass placed the project region meanwhile: decide again
        const decided: PlacementDecision = decidePlacement(capacities, affinity);
        if (decided.kind === 'place') {
          await tx.insertPlacement({
            serviceId: service.id,
            accountId: decided.accountId,
            provider: service.provider,
            regionName: service.regionName,
            projectId: service.projectId,
          });
        }
        return { decided, poolSize: locked.filter((a) => a.state === 'ACTIVE').length };
      });
      if (!decision) continue;
      if (decision.decided.kind === 'place') return { kind: 'placed', accountId: decision.decided.accountId };
      if (fresh) return { kind: 'full', message: capacityFailureMessage(providerRegion, decision.decided, decision.poolSize, poolProvider(service.provider)) };
    }
    return { kind: 'full', message: `No capacity for this endpoint service in ${providerRegion}: the placement changed while it was decided; it is not retried.` };
  }

  /** The quotas of an account in a region, from the cache unless that reading is `maxAgeMs` old or older (0: always read). */
  readQuotas(store: Store, adapter: CloudProviderAdapter, account: ProviderAccountWithSecret, providerRegion: string, regionName: string, maxAgeMs: number): QuotaReading {
    const key = `${account.id}|${providerRegion}`;
    const cached = this.quotas.get(key);
    if (cached && this.clock() - cached.at < maxAgeMs) return cached;
    const value = this.accessor.access(account).then(async (access) => {
      const reading = await adapter.capacity!.readAccountQuotas(access, providerRegion);
      const { loadBalancers, vpcs, vpcsInUse } = reading;
      await repositories(store.db).providerAccounts.saveReading(account.id, regionName, { loadBalancers, vpcs, vpcsInUse }, new Date());
      return reading;
    });
    const reading = { at: this.clock(), value };
    this.quotas.set(key, reading);
    value.catch(() => this.quotas.delete(key));
    return reading;
  }
}

/** What each of `accounts` that has a reading holds in the region and may take, for decidePlacement. */
function capacitiesOf(
  accounts: readonly ProviderAccountWithSecret[],
  readings: ReadonlyMap<string, { readonly value: AccountRegionQuotas }>,
  placements: ReadonlyMap<string, number>,
  listenersNeeded: number,
): AccountRegionCapacity[] {
  const capacities: AccountRegionCapacity[] = [];
  for (const account of accounts) {
    const reading = readings.get(account.id)?.value;
    if (!reading) continue;
    const placed = placements.get(account.id) ?? 0;
    capacities.push({
      account,
      placements: placed,
      hasProviderNetwork: reading.hasProviderNetwork,
      loadBalancers: { ...reading.loadBalancers, used: placed },
      vpcs: { ...reading.vpcs, used: reading.vpcsInUse },
      listeners: { ...reading.listeners, used: listenersNeeded },
    });
  }
  return capacities;
}
