import { useQuery, useQueries } from '@tanstack/react-query';
import type { EndpointServiceWire, InterfaceEndpointWire } from '../../src/api/atlas/wire/private-endpoints.wire.js';
import { call, v2 } from './api';

/** How often statuses refresh while something is in motion, and when all is settled. */
const BUSY_MS = 1000;
const IDLE_MS = 5000;

/** The clouds a dedicated cluster's private endpoint can be on, as the API names them, with Atlas's labels. */
export type Provider = EndpointServiceWire['cloudProvider'];
export const PROVIDERS: ReadonlyArray<{ readonly id: Provider; readonly label: string }> = [
  { id: 'AWS', label: 'AWS' },
  { id: 'AZURE', label: 'Azure' },
  { id: 'GCP', label: 'Google Cloud' },
];
export const providerLabel = (provider: Provider) => PROVIDERS.find((p) => p.id === provider)!.label;

export const servicesKey = (groupId: string) => ['endpointServices', groupId];
export const servicesPath = (groupId: string, provider: Provider = 'AWS') => v2(`/groups/${groupId}/privateEndpoint/${provider}/endpointService`);
/** Where new endpoint services are created (`providerName` in the body). */
export const createServicePath = (groupId: string) => v2(`/groups/${groupId}/privateEndpoint/endpointService`);
export const servicePath = (groupId: string, provider: Provider, serviceId: string) => `${servicesPath(groupId, provider)}/${serviceId}`;
/** An endpoint's path: Azure's ids are resource paths, so the id is always URL-encoded. */
export const endpointPath = (groupId: string, provider: Provider, serviceId: string, endpointId: string) =>
  `${servicePath(groupId, provider, serviceId)}/endpoint/${encodeURIComponent(endpointId)}`;

const settled = (status: string | undefined) => status === 'AVAILABLE' || status === 'FAILED' || status === 'REJECTED';

/** The ids of a service's endpoints: VPC endpoint ids (AWS), private endpoint resource ids (Azure), endpoint group names (Google Cloud). */
export function endpointIds(service: EndpointServiceWire): readonly string[] {
  if (service.cloudProvider === 'AWS') return service.interfaceEndpoints;
  if (service.cloudProvider === 'AZURE') return service.privateEndpoints;
  return service.endpointGroupNames;
}

/** What the customer connects to: the AWS service name, the Azure private link service, the Google Cloud service attachments. */
export function serviceTarget(service: EndpointServiceWire): string | null {
  if (service.cloudProvider === 'AWS') return service.endpointServiceName;
  if (service.cloudProvider === 'AZURE') return service.privateLinkServiceName;
  return service.serviceAttachmentNames.length ? service.serviceAttachmentNames.map((n) => n.split('/').pop()).join(', ') : null;
}

/** The endpoint's status (`connectionStatus` on AWS, `status` elsewhere). */
export function endpointStatus(endpoint: InterfaceEndpointWire | undefined): string | undefined {
  if (!endpoint) return undefined;
  return endpoint.cloudProvider === 'AWS' ? endpoint.connectionStatus : endpoint.status;
}

/** The project's endpoint services on every cloud (AWS, then Azure, then Google Cloud), polled (fast while any is changing). */
export function useServices(groupId: string) {
  return useQuery({
    queryKey: servicesKey(groupId),
    queryFn: async () => (await Promise.all(PROVIDERS.map((p) => call<EndpointServiceWire[]>('GET', servicesPath(groupId, p.id))))).flat(),
    refetchInterval: (query) => (query.state.data?.every((s) => settled(s.status)) ? IDLE_MS : BUSY_MS),
  });
}

/** One endpoint service, polled until it settles (the wizard's "Atlas creates the service"). */
export function useService(groupId: string, provider: Provider, serviceId: string | undefined) {
  return useQuery({
    queryKey: ['endpointService', groupId, provider, serviceId],
    queryFn: () => call<EndpointServiceWire>('GET', servicePath(groupId, provider, serviceId!)),
    enabled: serviceId !== undefined,
    refetchInterval: (query) => (settled(query.state.data?.status) ? IDLE_MS : BUSY_MS),
  });
}

export const endpointKey = (groupId: string, serviceId: string, endpointId: string) => ['endpoint', groupId, serviceId, endpointId];

/** The endpoints of the services, each polled; keyed by `<serviceId> <endpointId>`. */
export function useEndpoints(groupId: string, services: readonly EndpointServiceWire[]) {
  const pairs = services.flatMap((s) => endpointIds(s).map((endpointId) => ({ provider: s.cloudProvider, serviceId: s.id, endpointId })));
  const results = useQueries({
    queries: pairs.map(({ provider, serviceId, endpointId }) => ({
      queryKey: endpointKey(groupId, serviceId, endpointId),
      queryFn: () => call<InterfaceEndpointWire>('GET', endpointPath(groupId, provider, serviceId, endpointId)),
      refetchInterval: (query: { state: { data?: InterfaceEndpointWire } }) => (settled(endpointStatus(query.state.data)) ? IDLE_MS : BUSY_MS),
    })),
  });
  return new Map(pairs.map((pair, i) => [`${pair.serviceId} ${pair.endpointId}`, results[i]!]));
}

/**
 * Registers `newId` in place of `oldId` (the API has no update): the new registration is made
 * first and the old one removed after, so a refused registration leaves the old one working.
 * `newId` must differ: removing a registration rejects its connection in the cloud, for good.
 */
export async function replaceEndpoint(groupId: string, provider: Provider, serviceId: string, oldId: string, body: object): Promise<void> {
  await call('POST', `${servicePath(groupId, provider, serviceId)}/endpoint`, body);
  await call('DELETE', endpointPath(groupId, provider, serviceId, oldId));
}

/** Atlas's words for a status (`PENDING_ACCEPTANCE` → "Pending Acceptance"). */
export function statusText(status: string | undefined): string {
  if (!status) return '—';
  return status
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
