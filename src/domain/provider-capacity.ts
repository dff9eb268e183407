/**
 * Provider capacity: the pool of provider accounts, the quotas that bound each account in a region,
 * and where a new endpoint service goes. Pure rules, no I/O.
 *
 * Placement (decision table; `affinity` = the account that already holds services of the same
 * project and region):
 *
 * | affinity | affinity's listener quota fits | affinity has a load balancer left | other ACTIVE accounts with room | … whose listener quota fits | result                             |
 * | -------- | ------------------------------ | --------------------------------- | ------------------------------- | --------------------------- | ---------------------------------- |
 * | yes      | no                             | any                               | any                             | any                         | full: that account's listener quota |
 * | yes      | yes                            | yes                               | any                             | any                         | the affinity account               |
 * | yes      | yes                            | no                                | any                             | any                         | full: that account's quota         |
 * | no       | —                              | —                                 | yes                             | yes                         | the one with most room left        |
 * | no       | —                              | —                                 | yes                             | no                          | full: the listener quota           |
 * | no       | —                              | —                                 | no                              | —                           | full: the pool's binding quota     |
 *
 * An account has room in a region when it has a network load balancer left under its quota and
 * either already holds the region's provider VPC or has a VPC left under
 * its quota. A DRAINING account takes no new project region; project regions already in it keep
 * their services together (never split across accounts). The listener quota is per load balancer:
 * the service's load balancer needs one listener per node port of the project region's clusters,
 * so an account fits when its quota is at least that many (more room does not help).
 */

export type ProviderAccountKind = 'LOCAL_CLOUD' | 'ACCESS_KEY' | 'ASSUME_ROLE';
export type ProviderAccountState = 'ACTIVE' | 'DRAINING';

/** One provider account of the pool (AWS account). The secret key is never part of it. */
export interface ProviderAccount {
  readonly id: string;
  readonly provider: 'AWS';
  readonly name: string;
  readonly kind: ProviderAccountKind;
  readonly accessKeyId: string | null;
  readonly roleArn: string | null;
  readonly state: ProviderAccountState;
  readonly createdAt: Date;
}

/** A quota as the provider states it and how much of it privlink uses. */
export interface QuotaUse {
  readonly quotaCode: string;
  readonly quotaName: string;
  readonly serviceCode: string;
  readonly value: number;
  readonly used: number;
}

/** What one account holds in one region and its quotas there. */
export interface AccountRegionCapacity {
  readonly account: ProviderAccount;
  /** Endpoint services placed (each one network load balancer). */
  readonly placements: number;
  /** The account already has the region's provider VPC. */
  readonly hasProviderNetwork: boolean;
  readonly loadBalancers: QuotaUse;
  readonly vpcs: QuotaUse;
  /**
   * Listeners per network load balancer: `value` is the account's quota, `used` what the new
   * service's load balancer needs (one listener per node port of the project region's clusters).
   */
  readonly listeners: QuotaUse;
}

export type PlacementDecision =
  | { readonly kind: 'place'; readonly accountId: string }
  | {
      readonly kind: 'full';
      /** `used-up`: no room left under `quota`; `listeners`: the service needs more listeners than `quota` allows per load balancer. */
      readonly reason: 'used-up' | 'listeners';
      readonly quota: QuotaUse;
      readonly account: ProviderAccount | undefined;
    };

/** Network load balancers left under the quota. */
export function loadBalancersLeft(capacity: AccountRegionCapacity): number {
  return Math.max(0, capacity.loadBalancers.value - capacity.loadBalancers.used);
}

/** The load balancer of the new service can have every listener it needs in this account. */
export function listenersFit(capacity: AccountRegionCapacity): boolean {
  return capacity.listeners.used <= capacity.listeners.value;
}

function hasRoom(capacity: AccountRegionCapacity): boolean {
  if (loadBalancersLeft(capacity) <= 0) return false;
  return capacity.placements > 0 || capacity.hasProviderNetwork || capacity.vpcs.used < capacity.vpcs.value;
}

/** Decides where a new endpoint service of a project region goes (see the table above). */
export function decidePlacement(capacities: readonly AccountRegionCapacity[], affinityAccountId: string | undefined): PlacementDecision {
  if (affinityAccountId) {
    const affinity = capacities.find((c) => c.account.id === affinityAccountId);
    if (affinity && !listenersFit(affinity)) return { kind: 'full', reason: 'listeners', quota: affinity.listeners, account: affinity.account };
    if (affinity && loadBalancersLeft(affinity) > 0) return { kind: 'place', accountId: affinity.account.id };
    if (affinity) return { kind: 'full', reason: 'used-up', quota: affinity.loadBalancers, account: affinity.account };
  }
  const open = capacities.filter((c) => c.account.state === 'ACTIVE');
  const roomy = open.filter(hasRoom);
  const candidates = roomy.filter(listenersFit).sort((a, b) => loadBalancersLeft(b) - loadBalancersLeft(a) || a.account.createdAt.getTime() - b.account.createdAt.getTime());
  const best = candidates[0];
  if (best) return { kind: 'place', accountId: best.account.id };
  const widest = [...roomy].sort((a, b) => b.listeners.value - a.listeners.value)[0];
  if (widest) return { kind: 'full', reason: 'listeners', quota: widest.listeners, account: undefined };
  const binding = open.find((c) => loadBalancersLeft(c) > 0) ? open.find((c) => loadBalancersLeft(c) > 0)!.vpcs : (open[0]?.loadBalancers ?? EMPTY_POOL_QUOTA);
  return { kind: 'full', reason: 'used-up', quota: binding, account: undefined };
}

/** Stands for "no account at all": nothing can be placed until one is added. */
const EMPTY_POOL_QUOTA: QuotaUse = { quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region', serviceCode: 'elasticloadbalancing', value: 0, used: 0 };

/**
 * The errorMessage of a service that cannot be placed: the quota, the region, and what an operator
 * can do about it.
 */
export function capacityFailureMessage(region: string, decision: Extract<PlacementDecision, { kind: 'full' }>, poolSize: number): string {
  const { quota } = decision;
  if (decision.reason === 'listeners') return listenerFailureMessage(region, decision);
  const increase = `request an increase of ${quota.serviceCode} quota ${quota.quotaCode} (aws service-quotas request-service-quota-increase --service-code ${quota.serviceCode} --quota-code ${quota.quotaCode} --desired-value <n> --region ${region})`;
  if (decision.account) {
    return (
      `No capacity for this endpoint service in ${region}: the project's services in ${region} are placed in provider account ${decision.account.name}, ` +
      `where quota ${quota.quotaCode} (${quota.quotaName}) is used up (${quota.used} of ${quota.value}). An operator can ${increase} in that account.`
    );
  }
  if (poolSize === 0) {
    return `No capacity for this endpoint service in ${region}: the provider account pool has no ACTIVE account. An operator can add one (privlink admin provider-accounts add).`;
  }
  return (
    `No capacity for this endpoint service in ${region}: quota ${quota.quotaCode} (${quota.quotaName}) is used up in every ACTIVE provider account of the pool ` +
    `(${quota.used} of ${quota.value} in the fullest). An operator can add an account (privlink admin provider-accounts add) or ${increase}.`
  );
}

/**
 * The errorMessage of a service whose load balancer would need more listeners than the quota per
 * load balancer allows. AWS does not adjust this quota through Service Quotas, so the remedies are
 * fewer node ports in the region or an account where AWS raised it.
 */
function listenerFailureMessage(region: string, decision: Extract<PlacementDecision, { kind: 'full' }>): string {
  const { quota } = decision;
  const head =
    `No capacity for this endpoint service in ${region}: its load balancer needs ${quota.used} listeners (one per node port of the project's clusters in ${region}), ` +
    `but quota ${quota.quotaCode} (${quota.quotaName}) allows ${quota.value}`;
  const reduce = `AWS does not adjust this quota through Service Quotas: the project's clusters in ${region} must fit in ${quota.value} node ports (fewer nodes or shards)`;
  if (decision.account) {
    return `${head} in provider account ${decision.account.name}, where the project's services in ${region} are placed. ${reduce}.`;
  }
  return `${head} in every ACTIVE provider account of the pool. ${reduce}, or an operator can add a provider account where AWS raised it (privlink admin provider-accounts add).`;
}
