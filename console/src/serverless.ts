import { useQuery, useQueries } from '@tanstack/react-query';
import type { PaginatedWire } from '../../src/api/atlas/wire/common.wire.js';
import type { ServerlessInstanceWire, ServerlessTenantEndpointWire } from '../../src/api/atlas/wire/serverless.wire.js';
import type { CloudProvider } from '../../src/domain/regions.js';
import type { ServerlessEndpointProvider } from '../../src/domain/serverless-endpoint.js';
import { call, v2 } from './api';

const BUSY_MS = 1000;
const IDLE_MS = 5000;

export const instancesKey = (groupId: string) => ['serverlessInstances', groupId];
export const tenantEndpointsKey = (groupId: string) => ['serverlessEndpoints', groupId];
/** `/groups/{groupId}/privateEndpoint/serverless/instance/{instanceName}/endpoint`. */
export const tenantEndpointsPath = (groupId: string, instanceName: string) =>
  v2(`/groups/${groupId}/privateEndpoint/serverless/instance/${encodeURIComponent(instanceName)}/endpoint`);
export const tenantEndpointPath = (groupId: string, instanceName: string, endpointId: string) => `${tenantEndpointsPath(groupId, instanceName)}/${endpointId}`;

/** The clouds serverless private endpoints exist on (serverless instances don't support Private Service Connect). */
export const SERVERLESS_ENDPOINT_PROVIDERS: readonly ServerlessEndpointProvider[] = ['AWS', 'AZURE'];

/** An instance's cloud, when it can have private endpoints. */
export function endpointProviderOf(instance: ServerlessInstanceWire): ServerlessEndpointProvider | undefined {
  return SERVERLESS_ENDPOINT_PROVIDERS.find((p) => p === instance.providerSettings.backingProviderName);
}

/**
 * The instances the wizard offers: those whose cloud has serverless private endpoints and is one
 * this deployment serves (`served`, the session's `providers`); the API refuses the others.
 */
export function instancesWithEndpoints(instances: readonly ServerlessInstanceWire[], served: readonly CloudProvider[]): ServerlessInstanceWire[] {
  return instances.filter((i) => {
    const provider = endpointProviderOf(i);
    return provider !== undefined && served.includes(provider);
  });
}

/** Settled statuses of a serverless private endpoint (RESERVED waits for the customer). */
const settled = (status: string | undefined) => status === 'AVAILABLE' || status === 'FAILED' || status === 'RESERVED';

/** The project's serverless instances. */
export function useInstances(groupId: string) {
  return useQuery({
    queryKey: instancesKey(groupId),
    queryFn: () => call<PaginatedWire<ServerlessInstanceWire>>('GET', v2(`/groups/${groupId}/serverless?itemsPerPage=500`)),
    refetchInterval: (query) => (query.state.data?.results.every((i) => i.stateName === 'IDLE') ? IDLE_MS : BUSY_MS),
  });
}

/** Each instance's private endpoints, polled (fast while any is changing). */
export function useTenantEndpoints(groupId: string, instances: readonly ServerlessInstanceWire[]) {
  const results = useQueries({
    queries: instances.map((instance) => ({
      queryKey: [...tenantEndpointsKey(groupId), instance.name],
      queryFn: () => call<ServerlessTenantEndpointWire[]>('GET', tenantEndpointsPath(groupId, instance.name)),
      refetchInterval: (query: { state: { data?: ServerlessTenantEndpointWire[] } }) => (query.state.data?.every((e) => settled(e.status)) ? IDLE_MS : BUSY_MS),
    })),
  });
  return instances.map((instance, i) => ({ instance, endpoints: results[i]! }));
}

/** One serverless private endpoint, polled until it settles (the wizard waits for RESERVED). */
export function useTenantEndpoint(groupId: string, instanceName: string, endpointId: string | undefined) {
  return useQuery({
    queryKey: ['serverlessEndpoint', groupId, instanceName, endpointId],
    queryFn: () => call<ServerlessTenantEndpointWire>('GET', tenantEndpointPath(groupId, instanceName, endpointId!)),
    enabled: endpointId !== undefined,
    refetchInterval: (query) => (settled(query.state.data?.status) ? IDLE_MS : BUSY_MS),
  });
}
