import { armErrors } from '../arm-error.js';
import { optObject, optString, propertiesOf } from '../request-body.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import type { ArmContext, ResourceKind, WriteTarget } from './kind.js';

export const CONNECTION_TYPE = 'Microsoft.Network/privateLinkServices/privateEndpointConnections';

/** The connection states Azure shows on both sides. */
export type ConnectionStatus = 'Pending' | 'Approved' | 'Rejected' | 'Disconnected';

/**
 * A private endpoint's connection as the private link service's owner sees it
 * (`privateLinkServices/{pls}/privateEndpointConnections/{name}`). It is made when a consumer
 * creates a private endpoint; the owner approves or rejects it with a PUT of
 * `privateLinkServiceConnectionState` (synchronous, as the SDK's updatePrivateEndpointConnection
 * expects), or removes it with a DELETE (the endpoint then shows Disconnected). A PUT naming a
 * connection that does not exist is refused: a provider cannot create connections.
 */
export const privateEndpointConnectionsKind: ResourceKind = {
  type: CONNECTION_TYPE,
  segment: 'privateEndpointConnections',
  parentType: 'Microsoft.Network/privateLinkServices',
  operations: {
    get: 'PrivateLinkServices_GetPrivateEndpointConnection',
    list: 'PrivateLinkServices_ListPrivateEndpointConnections',
    put: 'PrivateLinkServices_UpdatePrivateEndpointConnection',
    delete: 'PrivateLinkServices_DeletePrivateEndpointConnection',
  },
  writable: true,
  longRunning: false,
  provisioningDelay: () => 0,
  async write(_ctx: ArmContext, target: WriteTarget, body: JsonObject, existing: ResourceRow | undefined) {
    if (!existing) throw armErrors.connectionCannotBeCreatedByProvider(target.id);
    const props = propertiesOf(body);
    const state = optObject(props.privateLinkServiceConnectionState, 'properties.privateLinkServiceConnectionState');
    const current = existing.properties.privateLinkServiceConnectionState as JsonObject;
    const raw = optString(state?.status, 'properties.privateLinkServiceConnectionState.status') ?? String(current.status);
    const status = (['Approved', 'Rejected', 'Pending'] as const).find((s) => s.toLowerCase() === raw.toLowerCase());
    if (!status || (status === 'Pending' && current.status !== 'Pending')) throw armErrors.invalidConnectionStatus(raw);
    return {
      ...existing.properties,
      privateLinkServiceConnectionState: {
        status,
        description: optString(state?.description, 'properties.privateLinkServiceConnectionState.description') ?? String(current.description ?? ''),
        actionsRequired: optString(state?.actionsRequired, 'properties.privateLinkServiceConnectionState.actionsRequired') ?? 'None',
      },
    };
  },
  async properties(_ctx: ArmContext, row: ResourceRow) {
    return { ...row.properties };
  },
  async purge() {},
};
