import { apiError } from './errors.js';
import type { CloudProvider } from './regions.js';

/**
 * The rules Atlas's documentation states for private endpoints, as pure checks. Each throws the ApiError a
 * user sees; callers gather the counts inside the transaction that makes the change.
 */

/** Default and maximum of `atlas.project.deployment.nodesPerPrivateLinkRegion` (Atlas: 30, once raisable to 50). */
export const NODES_PER_PRIVATE_LINK_REGION_DEFAULT = 30;
export const NODES_PER_PRIVATE_LINK_REGION_MAXIMUM = 50;
export const NODES_PER_PRIVATE_LINK_REGION_LIMIT = 'atlas.project.deployment.nodesPerPrivateLinkRegion';

/**
 * One endpoint service per project, provider and region, also while the region's old service is
 * being deleted (409 until it is gone).
 *
 * @param taken whether the project has an endpoint service of `provider` in `regionName` (deleting or not)
 */
export function checkOneServicePerRegion(provider: CloudProvider, regionName: string, taken: boolean): void {
  if (taken) throw apiError('PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION', provider, regionName);
}

/**
 * "If you create private endpoints in more than one region, you can't create more than one
 * private endpoint in each region. If you create more than one private endpoint in a single
 * region, you can't create private endpoints in other regions." Regionalized mode lifts both.
 *
 * @param countsByRegion live (not deleting) interface endpoints of this provider per Atlas region, before the new one
 */
export function checkEndpointRegionRule(provider: CloudProvider, countsByRegion: ReadonlyMap<string, number>, newRegion: string, regionalized: boolean): void {
  if (regionalized) return;
  const after = new Map(countsByRegion);
  after.set(newRegion, (after.get(newRegion) ?? 0) + 1);
  const regions = [...after.entries()].filter(([, count]) => count > 0);
  if (regions.length <= 1) return;
  const crowded = regions.find(([region, count]) => region !== newRegion && count > 1);
  if (crowded) throw apiError('PRIVATE_ENDPOINT_SINGLE_REGION_LIMIT', provider, newRegion, crowded[0]);
  if ((after.get(newRegion) ?? 0) > 1) throw apiError('PRIVATE_ENDPOINT_MULTI_REGION_LIMIT', provider, newRegion);
}

/**
 * Whether the regionalized setting may be turned off: not while several endpoints sit in
 * several regions, nor several in one region and one or more elsewhere.
 */
export function canDisableRegionalizedMode(countsByRegion: ReadonlyMap<string, number>): boolean {
  const regions = [...countsByRegion.values()].filter((count) => count > 0);
  return regions.length <= 1 || regions.every((count) => count === 1);
}

/**
 * Azure Private Link's addressable targets per region. Atlas's service limits: "Azure Private Link:
 * 150 addressable targets per region"; AWS's 30 (50 after the one-time raise) is the project limit.
 */
export const AZURE_ADDRESSABLE_TARGETS_PER_REGION = 150;

/**
 * The addressable-target limit of one provider region: AWS uses the project's
 * `nodesPerPrivateLinkRegion` (30, once raisable to 50); Azure allows 150; GCP's limit is the
 * number of service attachments per region (see GCP_ADDRESSABLE_TARGETS_PER_REGION).
 */
export function addressableTargetLimit(provider: CloudProvider, projectLimit: number): number {
  if (provider === 'AZURE') return AZURE_ADDRESSABLE_TARGETS_PER_REGION;
  if (provider === 'GCP') return GCP_ADDRESSABLE_TARGETS_PER_REGION;
  return projectLimit;
}

/** Atlas on GCP: one service attachment per addressable target, 50 per region and project. */
export const GCP_ADDRESSABLE_TARGETS_PER_REGION = 50;

/**
 * "Up to 30 addressable targets per region" (50 after the one-time raise) on AWS, 150 on Azure:
 * checked for a region that has, or is getting, an endpoint service of `provider`.
 *
 * @param projectLimit the project's `nodesPerPrivateLinkRegion` (applies to AWS)
 */
export function checkAddressableTargetLimit(provider: CloudProvider, regionName: string, targetsAfter: number, projectLimit: number): void {
  const limit = addressableTargetLimit(provider, projectLimit);
  if (targetsAfter <= limit) return;
  if (provider === 'AWS') throw apiError('MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED', provider, regionName, targetsAfter, limit);
  throw apiError('MAX_PROVIDER_TARGETS_PER_REGION_EXCEEDED', provider, regionName, targetsAfter, limit);
}

/**
 * "PrivateLink must be active in all regions into which you deploy a multi-region cluster. You
 * receive an error if it is active in some, but not all, targeted regions."
 *
 * @param provider whose private link product the message names (AWS PrivateLink, Azure Private Link, GCP Private Service Connect)
 * @param clusterRegions the cluster's regions of `provider`
 * @param serviceRegions regions of `provider` with a (not deleting) endpoint service in the project
 */
export function checkMultiRegionCoverage(provider: CloudProvider, clusterRegions: readonly string[], serviceRegions: ReadonlySet<string>): void {
  if (clusterRegions.length < 2) return;
  const covered = clusterRegions.filter((region) => serviceRegions.has(region));
  if (covered.length === 0 || covered.length === clusterRegions.length) return;
  const missing = clusterRegions.filter((region) => !serviceRegions.has(region));
  throw apiError('PRIVATE_LINK_NOT_ACTIVE_IN_ALL_REGIONS', PRIVATE_LINK_PRODUCT[provider], covered.join(', '), missing.join(', '));
}

/** Each cloud's name for its private link product, as Atlas's messages use them. */
export const PRIVATE_LINK_PRODUCT: Readonly<Record<CloudProvider, string>> = { AWS: 'AWS PrivateLink', AZURE: 'Azure Private Link', GCP: 'GCP Private Service Connect' };
