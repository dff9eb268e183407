import { useQuery } from '@tanstack/react-query';
import { call, v3 } from './api';

// The App Services Admin API (v3) as the console uses it: the project's apps, an app's private
// endpoints, its private endpoint services and the non-VPC requests toggle. Bodies are App
// Services' snake_case; the console session authenticates these calls as it does Atlas's.

const BUSY_MS = 1000;
const IDLE_MS = 5000;

/** An app, as `GET /groups/{groupId}/apps` lists it (the fields the console shows). */
export interface AppWire {
  readonly _id: string;
  readonly client_app_id: string;
  readonly name: string;
  readonly location: string;
  readonly deployment_model: string;
  readonly provider_region: string;
}

/** A private endpoint of an app (`status` and `status_message` are privlink's). */
export interface AppEndpointWire {
  readonly _id: string;
  readonly cloud_provider_region: string;
  readonly cloud_provider_endpoint_id: string;
  readonly comment: string;
  readonly endpoint_type: 'general' | 'sync';
  readonly status: string;
  readonly status_message?: string;
}

/** A private endpoint service of an app's region (no `service_name` while it is being made). */
export interface AppServiceInfoWire {
  readonly cloud_provider_region: string;
  readonly service_name?: string;
  readonly endpoint_type: 'general' | 'sync';
}

export const appsPath = (groupId: string) => v3(`/groups/${groupId}/apps`);
export const appPath = (groupId: string, appId: string) => v3(`/groups/${groupId}/apps/${appId}`);
export const appEndpointsPath = (groupId: string, appId: string) => `${appPath(groupId, appId)}/security/private_endpoints`;
export const appEndpointPath = (groupId: string, appId: string, endpointId: string) => `${appEndpointsPath(groupId, appId)}/${endpointId}`;
export const allowNonVpcPath = (groupId: string, appId: string) => `${appPath(groupId, appId)}/security/allow_non_vpc_client_requests`;

export const appEndpointsKey = (groupId: string, appId: string) => ['appEndpoints', groupId, appId];
export const allowNonVpcKey = (groupId: string, appId: string) => ['allowNonVpc', groupId, appId];

/** `aws-us-east-1` → `us-east-1` (the AWS region the customer's VPC must be in). */
export const awsRegionOf = (providerRegion: string) => providerRegion.replace(/^aws-/, '');

/** The project's apps. */
export function useApps(groupId: string) {
  return useQuery({ queryKey: ['apps', groupId], queryFn: () => call<AppWire[]>('GET', appsPath(groupId)) });
}

/** One app. */
export function useApp(groupId: string, appId: string) {
  return useQuery({ queryKey: ['app', groupId, appId], queryFn: () => call<AppWire>('GET', appPath(groupId, appId)) });
}

/** The app's private endpoints, polled (fast while one is PENDING). */
export function useAppEndpoints(groupId: string, appId: string) {
  return useQuery({
    queryKey: appEndpointsKey(groupId, appId),
    queryFn: () => call<AppEndpointWire[]>('GET', appEndpointsPath(groupId, appId)),
    refetchInterval: (query) => (query.state.data?.some((e) => e.status === 'PENDING') ? BUSY_MS : IDLE_MS),
  });
}

/** The app's private endpoint services, polled until each has its service name. */
export function useAppServiceInfos(groupId: string, appId: string) {
  return useQuery({
    queryKey: ['appServiceInfos', groupId, appId],
    queryFn: () => call<AppServiceInfoWire[]>('GET', `${appPath(groupId, appId)}/security/private_endpoint_service_infos`),
    refetchInterval: (query) => (query.state.data && query.state.data.length > 0 && query.state.data.every((s) => typeof s.service_name === 'string') ? false : BUSY_MS),
  });
}

/** Whether the app also serves requests from outside its private endpoints. */
export function useAllowNonVpc(groupId: string, appId: string) {
  return useQuery({
    queryKey: allowNonVpcKey(groupId, appId),
    queryFn: async () => (await call<{ allow_non_vpc_client_requests: boolean }>('GET', allowNonVpcPath(groupId, appId))).allow_non_vpc_client_requests,
  });
}
