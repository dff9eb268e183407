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

/** How many candidates' quotas are read from the cloud at once (a cloud's read rates are limited per account and caller). */
const READS_AT_ONCE = 4;

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
 * ranked by their last readings (a new process starts from those the store keeps), and the one a
 * service would go to, decided under the pool's lock, is read again first when its reading is
 * QUOTA_TTL_MS old (a quota lowered meanwhile is seen before anything is placed under
 * it; one raised weighs in once read again, at the latest when no candidate has room); what is
 * used is counted from the placements, inside a transaction that locks the pool's rows, so two passes never take the same last load balancer and a project region is never
 * split across accounts. The listeners a service's load balancer will need (one per node port of
 * its project region's clusters) are compared with each account's listeners-per-load-balancer
 * quota, so a service that could never get them all is FAILED at placement instead of later.
 */
export class ProviderPlacement {
  private readonly quotas = new Map<string, QuotaReading>();
  /** The provider regions whose stored readings this process has taken in. */
  private readonly storedTaken = new Set<string>();

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
    const readings = new Map<string, { at: number; value: AccountRegionQuotas }>();
    const read = async (account: ProviderAccountWithSecret, maxAgeMs: number) => {
      const reading = this.readQuotas(ctx.store, adapter, account, providerRegion, service.regionName, maxAgeMs);
      readings.set(account.id, { at: reading.at, value: await reading.value });
    };
    // An account is read again before it takes the service when its reading is QUOTA_TTL_MS old and
    // was not taken during this placement (one taken here is the newest there is, however long the
    // cloud took to answer it).
    const startedAt = this.clock();
    const stale = (id: string) => {
      const at = readings.get(id)?.at ?? -Infinity;
      return at < startedAt && this.clock() - at >= QUOTA_TTL_MS;
    };
    // A process's first placement in a region ranks by the readings the store keeps (any replica's, however old).
    await this.takeStoredReadings(ctx.store, providerRegion, service.regionName);
    let fresh = false;
    let affinity: string | undefined;
    /** The project region's account (when it has one), else every active account. */
    const candidates = () => pool.filter((a) => (affinity ? a.id === affinity : a.state === 'ACTIVE'));
    /** Takes the project region's account (if it has one), with a reading of each candidate. */
    const takeAffinity = async (now: string | undefined) => {
      affinity = now;
      await eachAtMost(READS_AT_ONCE, candidates(), (account) => read(account, Infinity));
    };
    await takeAffinity(await repos.providerAccounts.accountOfProjectRegion(service.projectId, service.provider, service.regionName));
    // Each round reads one account again (or, once, every candidate), each at most once: the pool bounds the rounds.
    for (let round = 0; round < pool.length + 3; round++) {
      const decision = await inTransaction(ctx, async ({ repos: { providerAccounts: tx } }) => {
        const locked = await tx.lockAccounts(service.provider);
        const placements = await tx.countPlacements(service.provider, service.regionName);
        const nowAffinity = await tx.accountOfProjectRegion(service.projectId, service.provider, service.regionName);
        if (nowAffinity !== affinity) return { kind: 'again' as const, affinity: nowAffinity }; // another pass placed the project region meanwhile
        // Ranked by every reading kept, with the placements as they are now; the winner takes the
        // service only on a recent reading, else it is read again first (a lowered quota moves it down).
        const decided: PlacementDecision = decidePlacement(capacitiesOf(locked, readings, placements, listenersNeeded), affinity);
        if (decided.kind === 'place' && stale(decided.accountId)) return { kind: 'stale' as const, accountId: decided.accountId };
        if (decided.kind === 'place') {
          await tx.insertPlacement({
            serviceId: service.id,
            accountId: decided.accountId,
            provider: service.provider,
            regionName: service.regionName,
            projectId: service.projectId,
          });
        }
        return { kind: 'decided' as const, decided, poolSize: locked.filter((a) => a.state === 'ACTIVE').length };
      });
      if (decision.kind === 'again') {
        await takeAffinity(decision.affinity);
        continue;
      }
      if (decision.kind === 'stale') {
        await read(pool.find((a) => a.id === decision.accountId)!, QUOTA_TTL_MS);
        continue;
      }
      if (decision.decided.kind === 'place') return { kind: 'placed', accountId: decision.decided.accountId };
      if (fresh) return { kind: 'full', message: capacityFailureMessage(providerRegion, decision.decided, decision.poolSize, poolProvider(service.provider)) };
      // No room by the readings kept: every candidate is read again at once (a raised quota is seen), then decided again.
      fresh = true;
      await eachAtMost(READS_AT_ONCE, candidates(), (account) => read(account, 0));
    }
    return { kind: 'full', message: `No capacity for this endpoint service in ${providerRegion}: the placement changed while it was decided; it is not retried.` };
  }

  /**
   * Keeps, once per process and region, the readings the store holds for accounts this process has
   * not read there: they rank candidates as any old reading does (the account a service would go
   * to is read again before it takes it), so a new process does not read the whole pool first.
   */
  private async takeStoredReadings(store: Store, providerRegion: string, regionName: string): Promise<void> {
    if (this.storedTaken.has(providerRegion)) return;
    this.storedTaken.add(providerRegion);
    for (const { accountId, reading } of await repositories(store.db).providerAccounts.listReadings(regionName)) {
      const key = `${accountId}|${providerRegion}`;
      if (this.quotas.has(key) || !reading.listeners || reading.hasProviderNetwork === undefined) continue;
      const value: AccountRegionQuotas = { ...reading, listeners: reading.listeners, hasProviderNetwork: reading.hasProviderNetwork };
      this.quotas.set(key, { at: -Infinity, value: Promise.resolve(value) });
    }
  }

  /** The quotas of an account in a region, from the cache unless that reading is `maxAgeMs` old or older (0: always read; Infinity: any reading kept). */
  readQuotas(store: Store, adapter: CloudProviderAdapter, account: ProviderAccountWithSecret, providerRegion: string, regionName: string, maxAgeMs: number): QuotaReading {
    const key = `${account.id}|${providerRegion}`;
    const cached = this.quotas.get(key);
    if (cached && (maxAgeMs === Infinity || this.clock() - cached.at < maxAgeMs)) return cached;
    const value = this.accessor.access(account).then(async (access) => {
      const reading = await adapter.capacity!.readAccountQuotas(access, providerRegion);
      const { loadBalancers, vpcs, vpcsInUse, listeners, hasProviderNetwork } = reading;
      await repositories(store.db).providerAccounts.saveReading(account.id, regionName, { loadBalancers, vpcs, vpcsInUse, listeners, hasProviderNetwork }, new Date());
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

/** Calls `each` on every item, at most `limit` at a time. */
async function eachAtMost<T>(limit: number, items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await each(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
