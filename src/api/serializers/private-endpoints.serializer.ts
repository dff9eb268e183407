import type { EndpointServiceView } from '../../app/endpoint-services.service.js';
import { publishedConnectionStatus, type InterfaceEndpointRecord } from '../../domain/interface-endpoint.js';

/**
 * An endpoint service in its provider's Atlas shape, exactly as recorded from Atlas:
 * - AWS (`AWSPrivateLinkConnection`): `{"cloudProvider","endpointServiceName","errorMessage","id","interfaceEndpoints","regionName","status","supportedRemoteRegions"}`;
 * - Azure (`AzurePrivateLinkConnection`): `{"cloudProvider","errorMessage","id","privateEndpoints","privateLinkServiceName","privateLinkServiceResourceId","regionName","status"}`.
 */
export function endpointServiceJson(service: EndpointServiceView): Record<string, unknown> {
  if (service.detail.cloud === 'AZURE') {
    return {
      cloudProvider: service.provider,
      errorMessage: service.errorMessage,
      id: service.id,
      privateEndpoints: service.interfaceEndpoints.map((e) => e.endpointId),
      privateLinkServiceName: service.endpointServiceName,
      privateLinkServiceResourceId: service.detail.privateLinkServiceResourceId,
      regionName: service.regionName,
      status: service.status,
    };
  }
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

/**
 * An interface endpoint in its provider's Atlas shape: AWS `AWSInterfaceEndpoint`
 * (`connectionStatus` PENDING_ACCEPTANCE → PENDING → AVAILABLE | REJECTED), Azure
 * `AzurePrivateEndpoint` (`status` INITIATING → AVAILABLE | FAILED, DELETING).
 */
export function interfaceEndpointJson(endpoint: InterfaceEndpointRecord): Record<string, unknown> {
  if (endpoint.detail.cloud === 'AZURE') {
    return {
      cloudProvider: endpoint.provider,
      deleteRequested: endpoint.deleteRequested,
      errorMessage: endpoint.errorMessage,
      privateEndpointConnectionName: endpoint.detail.privateEndpointConnectionName,
      privateEndpointIPAddress: endpoint.detail.privateEndpointIPAddress,
      privateEndpointResourceId: endpoint.endpointId,
      status: publishedConnectionStatus(endpoint.provider, endpoint.status),
    };
  }
  return {
    cloudProvider: endpoint.provider,
    connectionStatus: endpoint.status,
    deleteRequested: endpoint.deleteRequested,
    errorMessage: endpoint.errorMessage,
    interfaceEndpointId: endpoint.endpointId,
  };
}
