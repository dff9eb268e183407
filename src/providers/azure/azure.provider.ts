import type { LoadBalancer, PrivateEndpointConnection, PrivateLinkService } from '@azure/arm-network';
import type { OperationState, SimplePollerLike } from '@azure/core-lro';
import type { ObservedEndpointService } from '../../domain/endpoint-service.js';
import type { ObservedConnection, ProviderWording } from '../../domain/interface-endpoint.js';
import type { CloudProviderAdapter, EndpointServiceSpec, ListenerSpec, ProviderRef, RegisteredEndpoint } from '../cloud-provider.js';
import type { AzureClients } from './azure-clients.js';
import { azure, azureOrAbsent, classifyAzureError } from './azure-errors.js';
import { ADDRESS_SPACE, azureNames, SERVICE_TAG, SUBNET_PREFIX } from './azure-names.js';

/**
 * The Azure adapter (Azure Private Link) on the official SDK (`@azure/arm-network`,
 * `@azure/arm-resources`, `@azure/identity`). Per endpoint service, in the provider
 * subscription: a resource group, a virtual network with a private-link subnet, a Standard
 * internal load balancer whose rules are the port-per-node listeners (frontend port → one backend
 * pool of target IPs), and a private link service on the load balancer's frontend, visible to
 * every subscription, approving nothing by itself: privlink approves the connection of each
 * registered private endpoint.
 *
 * Every step is non-blocking: a PUT starts ARM's long-running operation and returns; the next pass
 * sees `provisioningState` and takes the next step once the previous resource is `Succeeded`.
 * Names derive from the service id, so a lost commit is found again by name, never made twice.
 */
export class AzureProvider implements CloudProviderAdapter {
  readonly apiName = 'Azure';
  readonly wording: ProviderWording = {
    cloud: 'Azure',
    endpointNoun: 'private endpoint',
    howToCreate: (serviceName) => `Create a private endpoint with a manual connection request to the private link service ${serviceName} (its privateLinkServiceResourceId).`,
  };

  constructor(private readonly clients: AzureClients) {}

  private ids(id: string) {
    const names = azureNames(id);
    const group = `/subscriptions/${this.clients.connection.subscriptionId}/resourceGroups/${names.resourceGroup}`;
    const loadBalancer = `${group}/providers/Microsoft.Network/loadBalancers/${names.loadBalancer}`;
    const virtualNetwork = `${group}/providers/Microsoft.Network/virtualNetworks/${names.virtualNetwork}`;
    return {
      names,
      subnet: `${virtualNetwork}/subnets/${names.subnet}`,
      virtualNetwork,
      frontend: `${loadBalancer}/frontendIPConfigurations/${names.frontend}`,
      pool: (port: number) => `${loadBalancer}/backendAddressPools/${names.pool(port)}`,
    };
  }

  async observeEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }> {
    const { names } = this.ids(spec.id);
    const pls = await azureOrAbsent(() => this.clients.network.privateLinkServices.get(names.resourceGroup, names.privateLinkService));
    if (!pls) {
      const group = await azureOrAbsent(() => this.clients.resources.resourceGroups.get(names.resourceGroup));
      if (!group) return { observed: { state: 'absent' }, ref: {} };
      const ref = { resourceGroup: names.resourceGroup };
      if (group.properties?.provisioningState === 'Deleting') return { observed: { state: 'deleting' }, ref };
      return { observed: { state: 'provisioning' }, ref };
    }
    const ref = { resourceGroup: names.resourceGroup, privateLinkServiceId: pls.id };
    switch (pls.provisioningState) {
      case 'Succeeded': {
        const lb = await azureOrAbsent(() => this.clients.network.loadBalancers.get(names.resourceGroup, names.loadBalancer));
        const listenersInSync = lb !== undefined && lb.provisioningState === 'Succeeded' && listenersMatch(lb, pls, spec.listeners);
        return {
          observed: {
            state: 'ready',
            serviceName: pls.name ?? names.privateLinkService,
            availabilityZones: [],
            listenersInSync,
            detail: { cloud: 'AZURE', privateLinkServiceResourceId: pls.id ?? null },
          },
          ref,
        };
      }
      case 'Failed':
        return { observed: { state: 'failed', message: `Azure reports the private link service ${pls.name} as Failed.` }, ref };
      case 'Deleting':
        return { observed: { state: 'deleting' }, ref };
      default:
        return { observed: { state: 'provisioning' }, ref };
    }
  }

  /**
   * Takes the next step of: resource group → virtual network → load balancer (with the current
   * listeners) → private link service. A step whose resource is still provisioning ends the pass.
   */
  async createEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<ProviderRef> {
    const ids = this.ids(spec.id);
    const { names } = ids;
    const tags = { [SERVICE_TAG]: spec.id, 'privlink-project-id': spec.projectId };
    const network = this.clients.network;
    await azure(() => this.clients.resources.resourceGroups.createOrUpdate(names.resourceGroup, { location: spec.region, tags }));
    const ref = { resourceGroup: names.resourceGroup };

    const vnet = await azureOrAbsent(() => network.virtualNetworks.get(names.resourceGroup, names.virtualNetwork));
    const vnetReady = vnet
      ? vnet.provisioningState === 'Succeeded'
      : await settles(() =>
          network.virtualNetworks.beginCreateOrUpdate(
            names.resourceGroup,
            names.virtualNetwork,
            {
              location: spec.region,
              tags,
              addressSpace: { addressPrefixes: [ADDRESS_SPACE] },
              subnets: [{ name: names.subnet, addressPrefix: SUBNET_PREFIX, privateLinkServiceNetworkPolicies: 'Disabled' }],
            },
            POLLING,
          ),
        );
    if (!vnetReady) return ref;

    const lb = vnet ? await azureOrAbsent(() => network.loadBalancers.get(names.resourceGroup, names.loadBalancer)) : undefined;
    const lbReady = lb
      ? lb.provisioningState === 'Succeeded'
      : await settles(() => network.loadBalancers.beginCreateOrUpdate(names.resourceGroup, names.loadBalancer, this.loadBalancerBody(spec, tags), POLLING));
    if (!lbReady) return ref;

    await settles(() => network.privateLinkServices.beginCreateOrUpdate(names.resourceGroup, names.privateLinkService, this.privateLinkServiceBody(spec, tags), POLLING));
    return ref;
  }

  async syncListeners(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const { names } = this.ids(spec.id);
    const tags = { [SERVICE_TAG]: spec.id, 'privlink-project-id': spec.projectId };
    const network = this.clients.network;
    const lb = await azureOrAbsent(() => network.loadBalancers.get(names.resourceGroup, names.loadBalancer));
    if (lb?.provisioningState === 'Succeeded') {
      await settles(() => network.loadBalancers.beginCreateOrUpdate(names.resourceGroup, names.loadBalancer, this.loadBalancerBody(spec, tags), POLLING));
    }
    const pls = await azureOrAbsent(() => network.privateLinkServices.get(names.resourceGroup, names.privateLinkService));
    if (pls?.provisioningState === 'Succeeded' && Boolean(pls.enableProxyProtocol) !== wantsProxyProtocol(spec.listeners)) {
      await azure(() => network.privateLinkServices.beginCreateOrUpdate(names.resourceGroup, names.privateLinkService, this.privateLinkServiceBody(spec, tags)));
    }
  }

  /**
   * Deletes in the reverse order of creation, one resource per pass: the private link service
   * (Azure disconnects its private endpoints), the load balancer, the virtual network, then the
   * resource group. Absence of the group is the confirmation.
   */
  async deleteEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const { names } = this.ids(spec.id);
    const network = this.clients.network;
    const group = await azureOrAbsent(() => this.clients.resources.resourceGroups.get(names.resourceGroup));
    if (!group || group.properties?.provisioningState === 'Deleting') return;
    const steps: Array<[() => Promise<{ provisioningState?: string } | undefined>, () => Promise<unknown>]> = [
      [
        () => azureOrAbsent(() => network.privateLinkServices.get(names.resourceGroup, names.privateLinkService)),
        () => network.privateLinkServices.beginDelete(names.resourceGroup, names.privateLinkService),
      ],
      [
        () => azureOrAbsent(() => network.loadBalancers.get(names.resourceGroup, names.loadBalancer)),
        () => network.loadBalancers.beginDelete(names.resourceGroup, names.loadBalancer),
      ],
      [
        () => azureOrAbsent(() => network.virtualNetworks.get(names.resourceGroup, names.virtualNetwork)),
        () => network.virtualNetworks.beginDelete(names.resourceGroup, names.virtualNetwork),
      ],
    ];
    for (const [find, remove] of steps) {
      const resource = await find();
      if (!resource) continue;
      if (resource.provisioningState !== 'Deleting') await azure(remove);
      return;
    }
    await azure(() => this.clients.resources.resourceGroups.beginDelete(names.resourceGroup));
  }

  async observeConnection(spec: EndpointServiceSpec, _ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<ObservedConnection> {
    const connection = await this.findConnection(spec, endpointId);
    if (connection === 'serviceNotReady') return { state: 'serviceNotReady' };
    if (!connection) return { state: 'absent' };
    const name = connection.name ? { connectionName: connection.name } : {};
    switch (connection.privateLinkServiceConnectionState?.status) {
      case 'Approved':
        return { state: connection.provisioningState === 'Succeeded' ? 'available' : 'pending', ...name };
      case 'Rejected':
        return { state: 'rejected', ...name };
      case 'Disconnected':
        return { state: 'deleted', ...name };
      default:
        return { state: 'pendingAcceptance', ...name };
    }
  }

  async acceptConnection(spec: EndpointServiceSpec, _ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<void> {
    await this.setConnectionState(spec, endpointId, 'Approved', 'Approved by privlink: the private endpoint is registered with this endpoint service.');
  }

  async rejectConnection(spec: EndpointServiceSpec, _ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<void> {
    await this.setConnectionState(spec, endpointId, 'Rejected', 'Rejected by privlink: the private endpoint was removed from this endpoint service.');
  }

  private async setConnectionState(spec: EndpointServiceSpec, endpointId: string, status: 'Approved' | 'Rejected', description: string): Promise<void> {
    const connection = await this.findConnection(spec, endpointId);
    if (!connection || connection === 'serviceNotReady' || !connection.name) return;
    if (connection.privateLinkServiceConnectionState?.status === status) return;
    if (status === 'Approved' && connection.privateLinkServiceConnectionState?.status !== 'Pending') return;
    const { names } = this.ids(spec.id);
    await azureOrAbsent(() =>
      this.clients.network.privateLinkServices.updatePrivateEndpointConnection(names.resourceGroup, names.privateLinkService, connection.name!, {
        privateLinkServiceConnectionState: { status, description, actionsRequired: 'None' },
      }),
    );
  }

  /** The private link service's connection from `endpointId` (ARM ids compare case-insensitively). */
  private async findConnection(spec: EndpointServiceSpec, endpointId: string): Promise<PrivateEndpointConnection | undefined | 'serviceNotReady'> {
    const { names } = this.ids(spec.id);
    const pls = await azureOrAbsent(() => this.clients.network.privateLinkServices.get(names.resourceGroup, names.privateLinkService));
    if (!pls) return 'serviceNotReady';
    const wanted = endpointId.toLowerCase();
    return pls.privateEndpointConnections?.find((c) => c.privateEndpoint?.id?.toLowerCase() === wanted);
  }

  private loadBalancerBody(spec: EndpointServiceSpec, tags: Record<string, string>): LoadBalancer {
    const ids = this.ids(spec.id);
    return {
      location: spec.region,
      tags,
      sku: { name: 'Standard' },
      frontendIPConfigurations: [{ name: ids.names.frontend, subnet: { id: ids.subnet }, privateIPAllocationMethod: 'Dynamic' }],
      backendAddressPools: spec.listeners.map((listener) => ({
        name: ids.names.pool(listener.port),
        loadBalancerBackendAddresses: listener.targets.map((target, i) => ({ name: `target_${i}`, ipAddress: target.host, virtualNetwork: { id: ids.virtualNetwork } })),
      })),
      loadBalancingRules: spec.listeners.map((listener) => ({
        name: ids.names.rule(listener.port),
        protocol: 'Tcp',
        frontendPort: listener.port,
        backendPort: backendPort(listener),
        frontendIPConfiguration: { id: ids.frontend },
        backendAddressPool: { id: ids.pool(listener.port) },
        idleTimeoutInMinutes: 30,
        enableFloatingIP: false,
      })),
    };
  }

  private privateLinkServiceBody(spec: EndpointServiceSpec, tags: Record<string, string>): PrivateLinkService {
    const ids = this.ids(spec.id);
    return {
      location: spec.region,
      tags,
      loadBalancerFrontendIpConfigurations: [{ id: ids.frontend }],
      ipConfigurations: [{ name: 'nat', subnet: { id: ids.subnet }, privateIPAllocationMethod: 'Dynamic', primary: true }],
      visibility: { subscriptions: ['*'] },
      autoApproval: { subscriptions: [] },
      enableProxyProtocol: wantsProxyProtocol(spec.listeners),
    };
  }
}

/** How often a started operation is polled while the adapter waits for it (ARM's Retry-After wins when it says more). */
const POLLING = { updateIntervalInMs: 25 };
/** How long one pass waits for a started operation before leaving it to the next pass. */
const SETTLE_MS = 1_500;

/**
 * Starts an ARM long-running operation and gives it up to SETTLE_MS to finish, so a quick step
 * (Azure's fast ones, the local cloud's with zero delays) lets the same pass go on; a slow one is
 * left running and the next pass sees its `provisioningState`. True when it finished.
 */
async function settles(start: () => Promise<SimplePollerLike<OperationState<unknown>, unknown>>): Promise<boolean> {
  const poller = await azure(start);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SETTLE_MS);
  try {
    await poller.pollUntilDone({ abortSignal: abort.signal });
    return true;
  } catch (error) {
    if (abort.signal.aborted) return false;
    throw classifyAzureError(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Azure enables PROXY protocol per private link service: on when any listener's targets want it. */
function wantsProxyProtocol(listeners: readonly ListenerSpec[]): boolean {
  return listeners.some((l) => l.proxyProtocol);
}

/** A load-balancing rule has one backend port: the targets' (the mongos of one region listen on one port). */
function backendPort(listener: ListenerSpec): number {
  return listener.targets[0]?.port ?? listener.port;
}

/** Whether the load balancer's rules and pools, and the service's PROXY flag, are the listeners of the spec. */
function listenersMatch(lb: LoadBalancer, pls: PrivateLinkService, listeners: readonly ListenerSpec[]): boolean {
  if (Boolean(pls.enableProxyProtocol) !== wantsProxyProtocol(listeners)) return false;
  const rules = lb.loadBalancingRules ?? [];
  if (rules.length !== listeners.length) return false;
  const pools = new Map((lb.backendAddressPools ?? []).map((p) => [p.id?.toLowerCase(), p]));
  return listeners.every((listener) => {
    const rule = rules.find((r) => r.frontendPort === listener.port);
    if (!rule || rule.backendPort !== backendPort(listener)) return false;
    const pool = pools.get(rule.backendAddressPool?.id?.toLowerCase());
    const have = (pool?.loadBalancerBackendAddresses ?? []).map((a) => a.ipAddress).sort();
    const want = listener.targets.map((t) => t.host).sort();
    return have.length === want.length && have.every((ip, i) => ip === want[i]);
  });
}
