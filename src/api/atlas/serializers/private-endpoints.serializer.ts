import type { EndpointServiceView } from '../../../app/endpoint-services.service.js';
import { apiError } from '../../../domain/errors.js';
import type { InterfaceEndpointRecord } from '../../../domain/interface-endpoint.js';
import type { AWSInterfaceEndpointWire, AWSPrivateLinkConnectionWire, EndpointServiceWire, InterfaceEndpointWire } from '../wire/private-endpoints.wire.js';

/**
 * `EndpointService` of the service's cloud. AWS (`AWSPrivateLinkConnection`) exactly as recorded
 * from Atlas:
 * `{"cloudProvider","endpointServiceName","errorMessage","id","interfaceEndpoints","regionName","status","supportedRemoteRegions"}`.
 * Services of the other clouds are refused at creation (PROVIDER_UNSUPPORTED) until their adapters exist.
 */
export function endpointServiceJson(service: EndpointServiceView): EndpointServiceWire {
  switch (service.provider) {
    case 'AWS':
      return awsPrivateLinkConnectionJson(service);
    case 'AZURE':
    case 'GCP':
      throw apiError('PROVIDER_UNSUPPORTED', service.provider);
  }
}

function awsPrivateLinkConnectionJson(service: EndpointServiceView): AWSPrivateLinkConnectionWire {
  return {
    cloudProvider: 'AWS',
    endpointServiceName: service.endpointServiceName,
    errorMessage: service.errorMessage,
    id: service.id,
    interfaceEndpoints: service.interfaceEndpoints.map((e) => e.endpointId),
    regionName: service.regionName,
    status: service.status,
    supportedRemoteRegions: null,
  };
}

/** `PrivateLinkEndpoint` of the endpoint's cloud: AWS `AWSInterfaceEndpoint` (see `endpointServiceJson` for the others). */
export function interfaceEndpointJson(endpoint: InterfaceEndpointRecord): InterfaceEndpointWire {
  switch (endpoint.provider) {
    case 'AWS':
      return awsInterfaceEndpointJson(endpoint);
    case 'AZURE':
    case 'GCP':
      throw apiError('PROVIDER_UNSUPPORTED', endpoint.provider);
  }
}

function awsInterfaceEndpointJson(endpoint: InterfaceEndpointRecord): AWSInterfaceEndpointWire {
  return {
    cloudProvider: 'AWS',
    connectionStatus: endpoint.status,
    deleteRequested: endpoint.deleteRequested,
    errorMessage: endpoint.errorMessage,
    interfaceEndpointId: endpoint.endpointId,
  };
}
