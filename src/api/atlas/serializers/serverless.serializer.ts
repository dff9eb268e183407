import type { ServerlessConnectionStrings } from '../../../app/serverless-connection-strings.js';
import type { ServerlessEndpointRecord } from '../../../domain/serverless-endpoint.js';
import { SERVERLESS_MONGODB_VERSION, type ServerlessInstanceRecord } from '../../../domain/serverless-instance.js';
import type { ServerlessInstanceWire, ServerlessTenantEndpointWire } from '../wire/serverless.wire.js';
import { iso } from './identity.serializer.js';

/** A serverless instance in Atlas's `ServerlessInstanceDescription` shape (keys in Atlas's alphabetical order). */
export function serverlessInstanceJson(instance: ServerlessInstanceRecord, connectionStrings: ServerlessConnectionStrings, base: string): ServerlessInstanceWire {
  const spec = instance.spec;
  return {
    connectionStrings: { privateEndpoint: connectionStrings.privateEndpoint, standardSrv: connectionStrings.standardSrv },
    createDate: iso(instance.createdAt),
    groupId: instance.projectId,
    id: instance.id,
    links: [{ href: `${base}/groups/${instance.projectId}/serverless/${instance.name}`, rel: 'self' }],
    mongoDBVersion: SERVERLESS_MONGODB_VERSION,
    name: instance.name,
    providerSettings: { backingProviderName: spec.backingProvider, providerName: 'SERVERLESS', regionName: spec.regionName },
    serverlessBackupOptions: { serverlessContinuousBackupEnabled: spec.continuousBackupEnabled },
    stateName: instance.stateName,
    tags: spec.tags.map((t) => ({ key: t.key, value: t.value })),
    terminationProtectionEnabled: spec.terminationProtectionEnabled,
  };
}

/**
 * A serverless private endpoint (`ServerlessTenantEndpoint`): the AWS variant
 * `{_id, cloudProviderEndpointId, comment, endpointServiceName, errorMessage, providerName, status}`;
 * Azure adds `privateEndpointIpAddress` and `privateLinkServiceResourceId`. Same body on v1.0 and v2.
 */
export function serverlessEndpointJson(endpoint: ServerlessEndpointRecord): ServerlessTenantEndpointWire {
  const common = {
    _id: endpoint.id,
    cloudProviderEndpointId: endpoint.cloudProviderEndpointId,
    comment: endpoint.comment,
    endpointServiceName: endpoint.endpointServiceName,
    errorMessage: endpoint.errorMessage,
  };
  if (endpoint.provider === 'AZURE') {
    return {
      ...common,
      privateEndpointIpAddress: endpoint.privateEndpointIpAddress,
      privateLinkServiceResourceId: endpoint.serviceDetail.cloud === 'AZURE' ? endpoint.serviceDetail.privateLinkServiceResourceId : null,
      providerName: 'AZURE',
      status: endpoint.status,
    };
  }
  return { ...common, providerName: 'AWS', status: endpoint.status };
}
