import { useQuery, useQueries } from '@tanstack/react-query';
import type { AWSInterfaceEndpointWire, AWSPrivateLinkConnectionWire } from '../../src/api/atlas/wire/private-endpoints.wire.js';
import { call, v2 } from './api';

/** How often statuses refresh while something is in motion, and when all is settled. */
const BUSY_MS = 1000;
const IDLE_MS = 5000;

export const servicesKey = (groupId: string) => ['endpointServices', groupId, 'AWS'];
export const servicesPath = (groupId: string) => v2(`/groups/${groupId}/privateEndpoint/AWS/endpointService`);
/** Where new endpoint services are created (`providerName` in the body). */
export const createServicePath = (groupId: string) => v2(`/groups/${groupId}/privateEndpoint/endpointService`);
export const servicePath = (groupId: string, serviceId: string) => `${servicesPath(groupId)}/${serviceId}`;
export const endpointPath = (groupId: string, serviceId: string, endpointId: string) => `${servicePath(groupId, serviceId)}/endpoint/${endpointId}`;

const settled = (status: string | undefined) => status === 'AVAILABLE' || status === 'FAILED' || status === 'REJECTED';

/** The project's AWS endpoint services, polled (fast while any is changing). */
export function useServices(groupId: string) {
  return useQuery({
    queryKey: servicesKey(groupId),
    queryFn: () => call<AWSPrivateLinkConnectionWire[]>('GET', servicesPath(groupId)),
    refetchInterval: (query) => (query.state.data?.every((s) => settled(s.status)) ? IDLE_MS : BUSY_MS),
  });
}

/** One endpoint service, polled until it settles (the wizard's "Atlas creates VPC resources"). */
export function useService(groupId: string, serviceId: string | undefined) {
  return useQuery({
    queryKey: ['endpointService', groupId, serviceId],
    queryFn: () => call<AWSPrivateLinkConnectionWire>('GET', servicePath(groupId, serviceId!)),
    enabled: serviceId !== undefined,
    refetchInterval: (query) => (settled(query.state.data?.status) ? IDLE_MS : BUSY_MS),
  });
}

/** The interface endpoints of the services, each polled. */
export function useEndpoints(groupId: string, services: readonly AWSPrivateLinkConnectionWire[]) {
  const pairs = services.flatMap((s) => s.interfaceEndpoints.map((endpointId) => ({ serviceId: s.id, endpointId })));
  const results = useQueries({
    queries: pairs.map(({ serviceId, endpointId }) => ({
      queryKey: ['endpoint', groupId, serviceId, endpointId],
      queryFn: () => call<AWSInterfaceEndpointWire>('GET', endpointPath(groupId, serviceId, endpointId)),
      refetchInterval: (query: { state: { data?: AWSInterfaceEndpointWire } }) => (settled(query.state.data?.connectionStatus) ? IDLE_MS : BUSY_MS),
    })),
  });
  return new Map(pairs.map((pair, i) => [pair.endpointId, results[i]!]));
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

/** The customer's `aws ec2 create-vpc-endpoint` command, as the wizard shows it. */
export function createVpcEndpointCommand(region: string, serviceName: string | null, vpcId: string, subnetIds: string): string {
  const subnets = subnetIds
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(' ');
  return `aws ec2 create-vpc-endpoint --vpc-id ${vpcId || '<your VPC ID>'} --region ${region} --service-name ${serviceName ?? '<creating…>'} --vpc-endpoint-type Interface --subnet-ids ${subnets || '<your subnet IDs>'}`;
}
