import { accessBlockOf, entryIncludes, unmapped, type AppAccessEntry } from '../../domain/appservices-access-list.js';
import type { AppRecord } from '../../domain/appservices-app.js';
import type { AppEndpointRecord, AppEndpointServiceRecord } from '../../domain/appservices-endpoint.js';

/** AppInstance, as the App Services Admin API shows it. */
export function appBody(app: AppRecord): Record<string, unknown> {
  return {
    _id: app.id,
    client_app_id: app.clientAppId,
    name: app.name,
    location: app.location,
    deployment_model: app.deploymentModel,
    provider_region: app.providerRegion,
    environment: app.environment ?? '',
    domain_id: app.dataSourceId,
    group_id: app.projectId,
    last_used: Math.floor(app.updatedAt.getTime() / 1000),
    last_modified: Math.floor(app.updatedAt.getTime() / 1000),
    product: app.product,
  };
}

/**
 * PrivateEndpoint. `status` and `status_message` are privlink's additions (the specification has
 * no status): PENDING, AVAILABLE, REJECTED or INVALIDATED, and why when it is not usable.
 */
export function endpointBody(endpoint: AppEndpointRecord): Record<string, unknown> {
  return {
    _id: endpoint.id,
    cloud_provider_region: endpoint.cloudProviderRegion,
    cloud_provider_endpoint_id: endpoint.cloudProviderEndpointId,
    comment: endpoint.comment ?? '',
    endpoint_type: endpoint.endpointType,
    status: endpoint.status,
    ...(endpoint.statusMessage ? { status_message: endpoint.statusMessage } : {}),
  };
}

/** PrivateEndpointServiceInfo (without `service_name` while privlink still makes the service: the spec's type is a string, and the field is optional). */
export function serviceInfoBody(service: AppEndpointServiceRecord): Record<string, unknown> {
  return { cloud_provider_region: service.providerRegion, ...(service.serviceName ? { service_name: service.serviceName } : {}), endpoint_type: service.endpointType };
}

/** ServiceResponse of the app's linked data source. */
export function dataSourceBody(app: AppRecord): Record<string, unknown> {
  return { _id: app.dataSourceId, name: app.dataSource.name, type: app.dataSource.type, version: 1 };
}

/** AtlasClusterServiceConfig of the app's linked data source. */
export function dataSourceConfigBody(app: AppRecord): Record<string, unknown> {
  return { ...app.dataSource.config };
}

/**
 * An IP access list entry, as the specification and the App Services CLI read it: `_id`,
 * `address` (as given), `comment`, `ip` (a single address) or `network` (a CIDR block), and
 * `includes_current` (the caller's own address lies inside it).
 */
export function accessEntryBody(entry: AppAccessEntry, currentIp: string): Record<string, unknown> {
  const block = accessBlockOf(entry.address) ?? entry.address;
  const single = !entry.address.includes('/');
  return {
    _id: entry.id,
    address: entry.address,
    ...(single ? { ip: entry.address } : { network: block }),
    comment: entry.comment ?? '',
    includes_current: entryIncludes(entry, unmapped(currentIp)),
  };
}

/** The list: `{current_ip, allowed_ips}`. */
export function accessListBody(entries: readonly AppAccessEntry[], currentIp: string): Record<string, unknown> {
  return { current_ip: unmapped(currentIp), allowed_ips: entries.map((entry) => accessEntryBody(entry, currentIp)) };
}
