import type { EndpointServiceView } from '../../../app/endpoint-services.service.js';
import type { InterfaceEndpointRecord } from '../../../domain/interface-endpoint.js';

/**
 * `EndpointService` (AWS `AWSPrivateLinkConnection`) exactly as recorded from Atlas:
 * `{"cloudProvider","endpointServiceName","errorMessage","id","interfaceEndpoints","regionName","status","supportedRemoteRegions"}`.
 */
export function endpointServiceJson(service: EndpointServiceView): Record<string, unknown> {
  return {
    cloudProvider: service.provider,
    endpointServiceName: service.endpointServiceName,
    errorMessage: service.errorMessage,
    id: service.id,
    interfaceEndpoints: service.interfaceEndpoints.map((e) => e.endpointId),
    regionName: service.regionName,
    status: service.status,
    supportedRemoteRegions: null,
  };
}

/** `PrivateLinkEndpoint` (AWS `AWSInterfaceEndpoint`). */
export function interfaceEndpointJson(endpoint: InterfaceEndpointRecord): Record<string, unknown> {
  return {
    cloudProvider: endpoint.provider,
    connectionStatus: endpoint.status,
    deleteRequested: endpoint.deleteRequested,
    errorMessage: endpoint.errorMessage,
    interfaceEndpointId: endpoint.endpointId,
  };
}
