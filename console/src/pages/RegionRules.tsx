import { useQuery } from '@tanstack/react-query';
import Banner from '@leafygreen-ui/banner';
import { Body } from '@leafygreen-ui/typography';
import type { EndpointServiceWire } from '../../../src/api/atlas/wire/private-endpoints.wire.js';
import { ApiError } from '../../../src/domain/errors.js';
import {
  addressableTargetLimit,
  checkEndpointRegionRule,
  checkOneServicePerRegion,
  NODES_PER_PRIVATE_LINK_REGION_DEFAULT,
  NODES_PER_PRIVATE_LINK_REGION_LIMIT,
  PRIVATE_LINK_PRODUCT,
} from '../../../src/domain/private-endpoint-rules.js';
import { ApiProblem, call, problemText, v2 } from '../api';
import { endpointIds, endpointStatus, useEndpoints, type Provider } from '../endpoints';

/** Whether the project uses regionalized private endpoints (`GET …/privateEndpoint/regionalMode`); undefined until known. */
function useRegionalized(groupId: string): boolean | undefined {
  return useQuery({
    queryKey: ['regionalMode', groupId],
    queryFn: () => call<{ enabled: boolean }>('GET', v2(`/groups/${groupId}/privateEndpoint/regionalMode`)),
  }).data?.enabled;
}

/** The project's `nodesPerPrivateLinkRegion` (the AWS addressable-target limit); Atlas's default until known. */
function useProjectTargetLimit(groupId: string): number {
  return (
    useQuery({
      queryKey: ['projectLimit', groupId, NODES_PER_PRIVATE_LINK_REGION_LIMIT],
      queryFn: () => call<{ value: number }>('GET', v2(`/groups/${groupId}/limits/${NODES_PER_PRIVATE_LINK_REGION_LIMIT}`)),
    }).data?.value ?? NODES_PER_PRIVATE_LINK_REGION_DEFAULT
  );
}

/**
 * What the API would answer, as the console shows an API error (`detail (errorCode)`), if the
 * wizard went on in Atlas region `regionName` of `provider` now: the region's service is still
 * being deleted (a new one would be refused), or one more private endpoint there breaks Atlas's
 * region rule (unless the project is regionalized). Undefined when the API would accept, or while
 * the project's mode is not known yet. The checks are the API's own (src/domain), so the words are
 * the API's; the API still decides at Next and Create.
 */
export function useRegionRefusal(groupId: string, services: readonly EndpointServiceWire[], provider: Provider, regionName: string | undefined): string | undefined {
  const regionalized = useRegionalized(groupId);
  const endpoints = useEndpoints(groupId, services);
  if (regionalized === undefined || regionName === undefined) return undefined;
  const mine = services.filter((s) => s.cloudProvider === provider);
  // The API counts the endpoints not being deleted, per Atlas region.
  const counts = new Map<string, number>();
  for (const service of mine) {
    for (const endpointId of endpointIds(service)) {
      if (endpointStatus(endpoints.get(`${service.id} ${endpointId}`)?.data) === 'DELETING') continue;
      counts.set(service.regionName, (counts.get(service.regionName) ?? 0) + 1);
    }
  }
  try {
    // A live service in the region is reused; only one being deleted stands in the way.
    checkOneServicePerRegion(
      provider,
      regionName,
      mine.some((s) => s.regionName === regionName && s.status === 'DELETING'),
    );
    checkEndpointRegionRule(provider, counts, regionName, regionalized);
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return problemText(new ApiProblem(error.status, error.errorCode, error.detail));
    throw error;
  }
}

/**
 * The region step's explanation of Atlas's rules for `provider`, in Atlas's words: private link in
 * every region of a multi-region cluster, one region with several endpoints or several regions
 * with one each (unless regionalized), and the addressable targets per region.
 */
export function RegionRules({ groupId, provider }: { groupId: string; provider: Provider }) {
  const regionalized = useRegionalized(groupId);
  const limit = addressableTargetLimit(provider, useProjectTargetLimit(groupId));
  const product = PRIVATE_LINK_PRODUCT[provider];
  return (
    <div data-testid="region-rules">
      <Body weight="medium">Region rules</Body>
      <ul>
        <li>
          {product} must be active in all regions into which you deploy a multi-region cluster. You receive an error if {product} is active in some, but not all, targeted regions.
        </li>
        <li>
          {regionalized
            ? 'Regionalized private endpoints are enabled for this project: each region can have several private endpoints.'
            : 'If you create private endpoints in more than one region, you can’t create more than one private endpoint in each region. If you create more than one private endpoint in a single region, you can’t create private endpoints in other regions.'}
        </li>
        <li>
          You can use {product} in Atlas projects with up to {limit} addressable targets per region. Use additional projects or regions to connect to addressable targets beyond
          this limit in the same region.
        </li>
      </ul>
    </div>
  );
}

/** The refusal the selected region would meet, shown before Next (the API's words). */
export function RegionRefusal({ refusal }: { refusal: string | undefined }) {
  if (!refusal) return null;
  return (
    <Banner variant="danger" data-testid="region-refusal">
      {refusal}
    </Banner>
  );
}
