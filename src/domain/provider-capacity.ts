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

/**
 * How privlink reaches a pool account: `LOCAL_CLOUD` (made by the local cloud on request, every
 * provider); AWS `ACCESS_KEY` or `ASSUME_ROLE`; Azure `SERVICE_PRINCIPAL` (tenant, client id and
 * secret of a subscription); GCP `SERVICE_ACCOUNT_KEY` (a service account's JSON key of a project).
 */
export type ProviderAccountKind = 'LOCAL_CLOUD' | 'ACCESS_KEY' | 'ASSUME_ROLE' | 'SERVICE_PRINCIPAL' | 'SERVICE_ACCOUNT_KEY';
export type ProviderAccountState = 'ACTIVE' | 'DRAINING';
/** The clouds whose endpoint services can be placed in a pool: an AWS account, an Azure subscription, a GCP project. */
export type PoolProvider = 'AWS' | 'AZURE' | 'GCP';

/**
 * The providers whose adapters place endpoint services in the pool (read quotas, keep a provider
 * network per account and region): all three clouds.
 */
export const PLACING_PROVIDERS: readonly PoolProvider[] = ['AWS', 'AZURE', 'GCP'];

/** The pool provider named `name` (AWS for anything else: only the three clouds have endpoint services). */
export function poolProvider(name: string): PoolProvider {
  return name === 'AZURE' || name === 'GCP' ? name : 'AWS';
}

/** One provider account of the pool (AWS account, Azure subscription, GCP project). Secrets are never part of it. */
export interface ProviderAccount {
  readonly id: string;
  readonly provider: PoolProvider;
  readonly name: string;
  readonly kind: ProviderAccountKind;
  readonly accessKeyId: string | null;
  readonly roleArn: string | null;
  /** Azure: the subscription, its tenant and the service principal's client id (SERVICE_PRINCIPAL). */
  readonly subscriptionId: string | null;
  readonly tenantId: string | null;
  readonly clientId: string | null;
  /** GCP: the project (SERVICE_ACCOUNT_KEY). */
  readonly projectId: string | null;
  readonly state: ProviderAccountState;
  readonly createdAt: Date;
}

/**
 * A quota as the provider states it and how much of it privlink uses. `serviceCode` / `quotaCode`
 * are AWS Service Quotas' codes, Azure's resource provider and usage name
 * (`Microsoft.Network` / `PrivateLinkServices`), GCP's service and metric
 * (`compute.googleapis.com` / `SERVICE_ATTACHMENTS`).
 */
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
  /** Endpoint services placed (each one load balancer: an AWS network load balancer, an Azure private link service and its load balancer). */
  readonly placements: number;
  /** The account already has the region's provider network (AWS VPC, Azure VNet). */
  readonly hasProviderNetwork: boolean;
  /** The quota each endpoint service takes one of (AWS: network load balancers; Azure: the lower of private link services and load balancers). */
  readonly loadBalancers: QuotaUse;
  /** The quota the provider network takes one of (AWS: VPCs per region; Azure: virtual networks). */
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

/** What stands for "no account at all" per provider: nothing can be placed until one is added. */
const EMPTY_POOL_QUOTA: QuotaUse = { ...defaultQuotaNames('AWS').loadBalancers, value: 0, used: 0 };

/**
 * The names of a provider's two bounding quotas (the capacity report shows them for an account
 * whose quotas were never read in a region).
 */
export function defaultQuotaNames(provider: PoolProvider): Record<'loadBalancers' | 'vpcs', { serviceCode: string; quotaCode: string; quotaName: string }> {
  switch (provider) {
    case 'AZURE':
      return {
        loadBalancers: { serviceCode: 'Microsoft.Network', quotaCode: 'PrivateLinkServices', quotaName: 'Private Link Services' },
        vpcs: { serviceCode: 'Microsoft.Network', quotaCode: 'VirtualNetworks', quotaName: 'Virtual Networks' },
      };
    case 'GCP':
      return {
        loadBalancers: { serviceCode: 'compute.googleapis.com', quotaCode: 'SERVICE_ATTACHMENTS', quotaName: 'Service attachments' },
        vpcs: { serviceCode: 'compute.googleapis.com', quotaCode: 'NETWORKS', quotaName: 'Networks' },
      };
    default:
      return {
        loadBalancers: { serviceCode: 'elasticloadbalancing', quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region' },
        vpcs: { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', quotaName: 'VPCs per Region' },
      };
  }
}

/** Compute quota metrics that are per project, not per region. */
const GCP_PROJECT_METRICS: readonly string[] = ['NETWORKS', 'SUBNETWORKS'];

/** What an operator runs (or clicks) to raise `quota` of an account in `region`, in the provider's own words. */
export function quotaIncreaseRemedy(provider: PoolProvider, quota: QuotaUse, region: string): string {
  switch (provider) {
    case 'AZURE':
      return (
        `request an increase of ${quota.serviceCode} usage ${quota.quotaCode} in ${region} (Azure portal: Quotas, or ` +
        `az quota update --scope /subscriptions/<subscription>/providers/${quota.serviceCode}/locations/${region} --resource-name ${quota.quotaCode} --limit-object value=<n>; ` +
        `a support request for a limit the quota API does not adjust)`
      );
    case 'GCP': {
      // NETWORKS and SUBNETWORKS are project quotas (projects.get); the others are per region (regions.get).
      const perProject = GCP_PROJECT_METRICS.includes(quota.quotaCode);
      return (
        `request an increase of Compute Engine quota ${quota.quotaCode}${perProject ? ' (a project quota)' : ` in ${region}`} (Google Cloud console: IAM & Admin, Quotas, ` +
        `filtered on the project, ${quota.serviceCode}${perProject ? '' : ` and ${region}`}; or gcloud quotas preferences create --service=${quota.serviceCode} --project=<project> ` +
        `--quota-id=<the quota's ID on that page> --preferred-value=<n>${perProject ? '' : ` --dimensions=region=${region}`})`
      );
    }
    default:
      return `request an increase of ${quota.serviceCode} quota ${quota.quotaCode} (aws service-quotas request-service-quota-increase --service-code ${quota.serviceCode} --quota-code ${quota.quotaCode} --desired-value <n> --region ${region})`;
  }
}

/** How messages name a provider's pool account and its limits. */
const WORDS: Readonly<Record<PoolProvider, { readonly account: string; readonly anAccount: string; readonly quota: string; readonly addCommand: string }>> = {
  AWS: { account: 'account', anAccount: 'an account', quota: 'quota', addCommand: 'privlink admin provider-accounts add' },
  AZURE: { account: 'subscription', anAccount: 'a subscription', quota: 'limit', addCommand: 'privlink admin provider-accounts add --provider AZURE' },
  GCP: { account: 'project', anAccount: 'a project', quota: 'quota', addCommand: 'privlink admin provider-accounts add --provider GCP' },
};

/**
 * The errorMessage of a service that cannot be placed: the quota, the region, and what an operator
 * can do about it in that provider.
 */
export function capacityFailureMessage(region: string, decision: Extract<PlacementDecision, { kind: 'full' }>, poolSize: number, provider: PoolProvider = 'AWS'): string {
  const { quota } = decision;
  if (decision.reason === 'listeners') return listenerFailureMessage(region, decision, provider);
  const increase = quotaIncreaseRemedy(provider, quota, region);
  const words = WORDS[provider];
  if (decision.account) {
    return (
      `No capacity for this endpoint service in ${region}: the project's services in ${region} are placed in provider ${words.account} ${decision.account.name}, ` +
      `where ${words.quota} ${quota.quotaCode} (${quota.quotaName}) is used up (${quota.used} of ${quota.value}). An operator can ${increase} in that ${words.account}.`
    );
  }
  if (poolSize === 0) {
    return `No capacity for this endpoint service in ${region}: the provider account pool has no ACTIVE ${words.account}. An operator can add one (${words.addCommand}).`;
  }
  return (
    `No capacity for this endpoint service in ${region}: ${words.quota} ${quota.quotaCode} (${quota.quotaName}) is used up in every ACTIVE provider ${words.account} of the pool ` +
    `(${quota.used} of ${quota.value} in the fullest). An operator can add ${words.anAccount} (${words.addCommand}) or ${increase}.`
  );
}

/**
 * The errorMessage of a service whose load balancer would need more listeners than the quota per
 * load balancer allows. Neither AWS (through Service Quotas) nor Azure (rules per load balancer)
 * adjusts this quota, so the remedies are fewer node ports in the region or an account where the
 * provider raised it.
 */
function listenerFailureMessage(region: string, decision: Extract<PlacementDecision, { kind: 'full' }>, provider: PoolProvider): string {
  const { quota } = decision;
  const words = WORDS[provider];
  const head =
    `No capacity for this endpoint service in ${region}: its load balancer needs ${quota.used} listeners (one per node port of the project's clusters in ${region}), ` +
    `but ${words.quota} ${quota.quotaCode} (${quota.quotaName}) allows ${quota.value}`;
  const adjusts =
    provider === 'AZURE'
      ? 'Azure does not adjust this limit'
      : provider === 'GCP'
        ? 'privlink maps at most this many ports in one network endpoint group'
        : 'AWS does not adjust this quota through Service Quotas';
  const reduce = `${adjusts}: the project's clusters in ${region} must fit in ${quota.value} node ports (fewer nodes or shards)`;
  if (decision.account) {
    return `${head} in provider ${words.account} ${decision.account.name}, where the project's services in ${region} are placed. ${reduce}.`;
  }
  return `${head} in every ACTIVE provider ${words.account} of the pool. ${reduce}, or an operator can add ${words.anAccount} where ${provider === 'AZURE' ? 'Azure' : provider === 'GCP' ? 'Google Cloud' : 'AWS'} raised it (${words.addCommand}).`;
}
