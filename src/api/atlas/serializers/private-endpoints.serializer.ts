import type { EndpointServiceView } from '../../../app/endpoint-services.service.js';
import { gcpGroupStatus, initiatingStatus, type InterfaceEndpointRecord } from '../../../domain/interface-endpoint.js';
import type {
  AWSInterfaceEndpointWire,
  AWSPrivateLinkConnectionWire,
  AzurePrivateLinkConnectionWire,
  EndpointServiceWire,
  InterfaceEndpointWire,
} from '../wire/private-endpoints.wire.js';

/**
 * `EndpointService` of the service's cloud. AWS (`AWSPrivateLinkConnection`) exactly as recorded
 * from Atlas:
 * `{"cloudProvider","endpointServiceName","errorMessage","id","interfaceEndpoints","regionName","status","supportedRemoteRegions"}`;
 * Azure (`AzurePrivateLinkConnection`) as recorded:
 * `{"cloudProvider","errorMessage","id","privateEndpoints","privateLinkServiceName","privateLinkServiceResourceId","regionName","status"}`.
 * GCP (`GCPEndpointService`) as recorded:
 * `{"cloudProvider","endpointGroupNames","errorMessage","id","portMappingEnabled","regionName","serviceAttachmentNames","status"}`.
 */
export function endpointServiceJson(service: EndpointServiceView): EndpointServiceWire {
  switch (service.detail.cloud) {
    case 'AWS':
      return awsPrivateLinkConnectionJson(service);
    case 'AZURE':
      return azurePrivateLinkConnectionJson(service, service.detail.privateLinkServiceResourceId);
    case 'GCP':
      return {
        cloudProvider: 'GCP',
        endpointGroupNames: service.interfaceEndpoints.map((e) => e.endpointId),
        errorMessage: service.errorMessage,
        id: service.id,
        portMappingEnabled: service.detail.portMappingEnabled,
        regionName: service.regionName,
        serviceAttachmentNames: service.detail.serviceAttachmentNames,
        status: service.status,
      };
  }
}

const sharedWires = new WeakMap<EndpointServiceView, EndpointServiceWire>();

/**
 * `endpointServiceJson` of a view that is answered many times (the endpoint-service GET: its read
 * cache hands out one view until it is refilled, and the view is never changed): made once per
 * view and frozen, so the route registrar serializes it once too (ApiResult.body).
 */
export function sharedEndpointServiceJson(service: EndpointServiceView): EndpointServiceWire {
  let wire = sharedWires.get(service);
  if (!wire) sharedWires.set(service, (wire = frozenWire(endpointServiceJson(service))));
  return wire;
}

/** Freezes a wire object and the arrays it holds (its other values are strings, booleans and nulls). */
function frozenWire<T extends object>(wire: T): T {
  for (const value of Object.values(wire)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(wire);
}

function azurePrivateLinkConnectionJson(service: EndpointServiceView, resourceId: string | null): AzurePrivateLinkConnectionWire {
  return {
    cloudProvider: 'AZURE',
    errorMessage: service.errorMessage,
    id: service.id,
    privateEndpoints: service.interfaceEndpoints.map((e) => e.endpointId),
    privateLinkServiceName: service.endpointServiceName,
    privateLinkServiceResourceId: resourceId,
    regionName: service.regionName,
    status: service.status,
  };
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

/**
 * `PrivateLinkEndpoint` of the endpoint's cloud: AWS `AWSInterfaceEndpoint` (`connectionStatus`
 * PENDING_ACCEPTANCE → PENDING → AVAILABLE | REJECTED), Azure `AzurePrivateEndpoint` (`status`
 * INITIATING → AVAILABLE | FAILED, DELETING).
 */
export function interfaceEndpointJson(endpoint: InterfaceEndpointRecord): InterfaceEndpointWire {
  switch (endpoint.detail.cloud) {
    case 'AWS':
      return awsInterfaceEndpointJson(endpoint);
    case 'AZURE':
      return {
        cloudProvider: 'AZURE',
        deleteRequested: endpoint.deleteRequested,
        errorMessage: endpoint.errorMessage,
        privateEndpointConnectionName: endpoint.detail.privateEndpointConnectionName,
        privateEndpointIPAddress: endpoint.detail.privateEndpointIPAddress,
        privateEndpointResourceId: endpoint.endpointId,
        status: initiatingStatus(endpoint.status),
      };
    case 'GCP':
      return {
        cloudProvider: 'GCP',
        deleteRequested: endpoint.deleteRequested,
        endpointGroupName: endpoint.endpointId,
        endpoints: endpoint.detail.endpoints.map((rule) => ({ endpointName: rule.endpointName, ipAddress: rule.ipAddress, status: initiatingStatus(rule.status) })),
        errorMessage: endpoint.errorMessage,
        gcpProjectId: endpoint.detail.gcpProjectId,
        portMappingEnabled: endpoint.detail.portMappingEnabled,
        status: gcpGroupStatus(endpoint.status),
      };
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
