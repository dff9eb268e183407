/**
 * Provider capacity: the pool of provider accounts, the quotas that bound each account in a region,
 * and where a new endpoint service goes. Pure rules, no I/O.
 *
 * Placement (decision table; `affinity` = the account that already holds services of the same
 * project and region):
 *
 * | affinity | affinity has a load balancer left | other ACTIVE accounts with room | result                          |
 * | -------- | --------------------------------- | ------------------------------- | ------------------------------- |
 * | yes      | yes                               | any                             | the affinity account            |
 * | yes      | no                                | any                             | full: that account's quota      |
 * | no       | —                                 | yes                             | the one with most room left     |
 * | no       | —                                 | no                              | full: the pool's binding quota  |
 *
 * An account has room in a region when it has a network load balancer left under its quota and
 * either already holds the region's provider VPC or has a VPC left under
 * its quota. A DRAINING account takes no new project region; project regions already in it keep
 * their services together (never split across accounts).
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
}

export type PlacementDecision =
  | { readonly kind: 'place'; readonly accountId: string }
  | { readonly kind: 'full'; readonly quota: QuotaUse; readonly account: ProviderAccount | undefined };

/** Network load balancers left under the quota. */
export function loadBalancersLeft(capacity: AccountRegionCapacity): number {
  return Math.max(0, capacity.loadBalancers.value - capacity.loadBalancers.used);
}

function hasRoom(capacity: AccountRegionCapacity): boolean {
  if (loadBalancersLeft(capacity) <= 0) return false;
  return capacity.placements > 0 || capacity.hasProviderNetwork || capacity.vpcs.used < capacity.vpcs.value;
}

/** Decides where a new endpoint service of a project region goes (see the table above). */
export function decidePlacement(capacities: readonly AccountRegionCapacity[], affinityAccountId: string | undefined): PlacementDecision {
  if (affinityAccountId) {
    const affinity = capacities.find((c) => c.account.id === affinityAccountId);
    if (affinity && loadBalancersLeft(affinity) > 0) return { kind: 'place', accountId: affinity.account.id };
    if (affinity) return { kind: 'full', quota: affinity.loadBalancers, account: affinity.account };
  }
  const open = capacities.filter((c) => c.account.state === 'ACTIVE');
  const candidates = open.filter(hasRoom).sort((a, b) => loadBalancersLeft(b) - loadBalancersLeft(a) || a.account.createdAt.getTime() - b.account.createdAt.getTime());
  const best = candidates[0];
  if (best) return { kind: 'place', accountId: best.account.id };
  const binding = open.find((c) => loadBalancersLeft(c) > 0) ? open.find((c) => loadBalancersLeft(c) > 0)!.vpcs : (open[0]?.loadBalancers ?? EMPTY_POOL_QUOTA);
  return { kind: 'full', quota: binding, account: undefined };
}

/** Stands for "no account at all": nothing can be placed until one is added. */
const EMPTY_POOL_QUOTA: QuotaUse = { quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region', serviceCode: 'elasticloadbalancing', value: 0, used: 0 };

/**
 * The errorMessage of a service that cannot be placed: the quota, the region, and what an operator
 * can do about it.
 */
export function capacityFailureMessage(region: string, decision: Extract<PlacementDecision, { kind: 'full' }>, poolSize: number): string {
  const { quota } = decision;
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
