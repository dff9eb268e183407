import { inTransaction } from '../app/app-context.js';
import { capacityFailureMessage, decidePlacement, poolProvider, type AccountRegionCapacity, type PlacementDecision } from '../domain/provider-capacity.js';
import type { AccountRegionQuotas, CloudProviderAdapter } from '../providers/cloud-provider.js';
import type { ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import type { ProviderAccountAccessor } from './provider-accounts.js';
import type { ReconcileContext } from './reconcile-context.js';

/** How long a quota reading is trusted before it is read again (a placement that finds nothing re-reads at once). */
const QUOTA_TTL_MS = 15_000;

/** The outcome of placing a service: in an account, nowhere (FAILED with `message`), unpooled (no pool configured), or not again (it failed to be placed before). */
export type PlacementOutcome =
  | { readonly kind: 'placed'; readonly accountId: string }
  | { readonly kind: 'full'; readonly message: string }
  | { readonly kind: 'unpooled' }
  | { readonly kind: 'stayFailed' };

/**
 * Places endpoint services in the provider account pool by remaining capacity, with project-region
 * affinity (domain/provider-capacity.ts). Quotas are read from the provider (cached for
 * QUOTA_TTL_MS); what is used is counted from the placements, inside a transaction that locks the
 * pool's rows, so two passes never take the same last load balancer and a project region is never
 * split across accounts. The listeners a service's load balancer will need (one per node port of
 * its project region's clusters) are compared with each account's listeners-per-load-balancer
 * quota, so a service that could never get them all is FAILED at placement instead of later.
 */
export class ProviderPlacement {
  private readonly quotas = new Map<string, { at: number; value: Promise<AccountRegionQuotas> }>();

  constructor(private readonly accessor: ProviderAccountAccessor) {}

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
      const readings = new Map<string, AccountRegionQuotas>();
      for (const account of candidates) readings.set(account.id, await this.readQuotas(ctx.store, adapter, account, providerRegion, service.regionName, fresh));
      const decision = await inTransaction(ctx, async ({ repos: { providerAccounts: tx } }) => {
        const locked = await tx.lockAccounts(service.provider);
        const placements = await tx.countPlacements(service.provider, service.regionName);
        const nowAffinity = await tx.accountOfProjectRegion(service.projectId, service.provider, service.regionName);
        const capacities: AccountRegionCapacity[] = [];
        for (const account of locked) {
          const reading = readings.get(account.id);
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

  /** Forgets cached quota readings (an account was added or an increase may have been approved). */
  forgetQuotas(): void {
    this.quotas.clear();
  }

  /** The quotas of an account in a region, from the cache unless `fresh` or older than QUOTA_TTL_MS. */
  readQuotas(
    store: Store,
    adapter: CloudProviderAdapter,
    account: ProviderAccountWithSecret,
    providerRegion: string,
    regionName: string,
    fresh: boolean,
  ): Promise<AccountRegionQuotas> {
    const key = `${account.id}|${providerRegion}`;
    const cached = this.quotas.get(key);
    if (cached && !fresh && Date.now() - cached.at < QUOTA_TTL_MS) return cached.value;
    const value = this.accessor.access(account).then(async (access) => {
      const reading = await adapter.capacity!.readAccountQuotas(access, providerRegion);
      const { loadBalancers, vpcs, vpcsInUse } = reading;
      await repositories(store.db).providerAccounts.saveReading(account.id, regionName, { loadBalancers, vpcs, vpcsInUse }, new Date());
      return reading;
    });
    this.quotas.set(key, { at: Date.now(), value });
    value.catch(() => this.quotas.delete(key));
    return value;
  }
}
