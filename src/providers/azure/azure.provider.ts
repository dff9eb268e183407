import type { LoadBalancer, PrivateEndpointConnection, PrivateLinkService } from '@azure/arm-network';
import type { ObservedEndpointService } from '../../domain/endpoint-service.js';
import type { ObservedConnection, ProviderWording } from '../../domain/interface-endpoint.js';
import type {
  AccountRegionQuotas,
  CloudProviderAdapter,
  CreatedEndpointService,
  EndpointServiceSpec,
  ListenerSpec,
  ProviderAccountAccess,
  ProviderAccountDirectory,
  ProviderCapacityAdapter,
  ProviderRef,
  RegisteredEndpoint,
} from '../cloud-provider.js';
import type { AzureClientPool, AzureClients } from './azure-clients.js';
import { azure, azureOrAbsent } from './azure-errors.js';
import { ADDRESS_SPACE, azureNames, SERVICE_TAG, SUBNET_PREFIX } from './azure-names.js';
import { POLLING, settled, settles } from './azure-operations.js';
import { deleteProviderNetwork, ensureProviderNetwork, findProviderVnets, type ProviderNetwork } from './azure-provider-network.js';
import { readAzureQuotas } from './azure-quotas.js';

/**
 * The Azure adapter (Azure Private Link) on the official SDK (`@azure/arm-network`,
 * `@azure/arm-resources`, `@azure/identity`). Per endpoint service, in the subscription it is
 * placed in (a pool subscription, else the configured provider subscription): a resource group, a
 * Standard internal load balancer whose rules are the port-per-node listeners (frontend port → one
 * backend pool of target IPs), and a private link service on the load balancer's frontend, visible
 * to every subscription, approving nothing by itself: privlink approves the connection of each
 * registered private endpoint. The load balancer's frontend and the private link service's NAT IP
 * are in the subscription region's provider VNet (azure-provider-network.ts) when the service is
 * placed in a pool subscription; without a placement, in a virtual network of the service's own.
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

  readonly capacity: ProviderCapacityAdapter;
  /** Pool subscriptions and regions whose provider network is being changed in this process: one change at a time. */
  private readonly networkLocks = new Map<string, Promise<unknown>>();

  constructor(
    /** The SDK clients of the configured subscription and of the pool's subscriptions. */
    private readonly pool: AzureClientPool,
    private readonly accounts?: ProviderAccountDirectory,
  ) {
    this.capacity = {
      readAccountQuotas: (account, region) => this.readAccountQuotas(account, region),
      releaseProviderNetwork: (account, region) => this.withNetworkLock(account, region, async () => deleteProviderNetwork(await this.pool.forAccount(account), region)),
    };
  }

  /** The pool subscription a service is placed in (undefined: the configured subscription). */
  private async accountOf(spec: EndpointServiceSpec): Promise<ProviderAccountAccess | undefined> {
    return this.accounts ? await this.accounts.accountOfService(spec.id) : undefined;
  }

  /** The SDK clients of the subscription a service is placed in. */
  private async clientsFor(spec: EndpointServiceSpec): Promise<AzureClients> {
    return this.pool.forAccount(await this.accountOf(spec));
  }

  private async readAccountQuotas(account: ProviderAccountAccess, region: string): Promise<AccountRegionQuotas> {
    const clients = await this.pool.forAccount(account);
    const [quotas, vnets] = await Promise.all([readAzureQuotas(clients, region), findProviderVnets(clients, region)]);
    return { ...quotas, hasProviderNetwork: vnets.length > 0 };
  }

  /** Runs `work` after every earlier network change of the same subscription and region in this process. */
  private async withNetworkLock<T>(account: ProviderAccountAccess, region: string, work: () => Promise<T>): Promise<T> {
    const key = `${account.id}|${region}`;
    const before = this.networkLocks.get(key) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(work);
    this.networkLocks.set(key, run);
    try {
      return await run;
    } finally {
      if (this.networkLocks.get(key) === run) this.networkLocks.delete(key);
    }
  }

  /**
   * The ids of what is made for service `id` in `subscriptionId`; the subnet and virtual network are
   * `network`'s (the provider VNet of a placed service) when given, else the service's own.
   */
  private ids(id: string, subscriptionId: string, network?: ProviderNetwork) {
    const names = azureNames(id);
    const group = `/subscriptions/${subscriptionId}/resourceGroups/${names.resourceGroup}`;
    const loadBalancer = `${group}/providers/Microsoft.Network/loadBalancers/${names.loadBalancer}`;
    const virtualNetwork = network?.virtualNetworkId ?? `${group}/providers/Microsoft.Network/virtualNetworks/${names.virtualNetwork}`;
    return {
      names,
      subnet: network?.subnetId ?? `${virtualNetwork}/subnets/${names.subnet}`,
      virtualNetwork,
      frontend: `${loadBalancer}/frontendIPConfigurations/${names.frontend}`,
      pool: (port: number) => `${loadBalancer}/backendAddressPools/${names.pool(port)}`,
    };
  }

  async observeEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef, likelyReady = false): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }> {
    const names = azureNames(spec.id);
    const clients = await this.clientsFor(spec);
    const loadBalancer = () => azureOrAbsent(() => clients.network.loadBalancers.get(names.resourceGroup, names.loadBalancer));
    // A service expected ready has its load balancer read beside its private link service (one
    // round trip, not two); otherwise only once the private link service is there and ready.
    const early = likelyReady ? loadBalancer() : undefined;
    early?.catch(() => undefined);
    const pls = await azureOrAbsent(() => clients.network.privateLinkServices.get(names.resourceGroup, names.privateLinkService));
    if (!pls) {
      const group = await azureOrAbsent(() => clients.resources.resourceGroups.get(names.resourceGroup));
      if (!group) return { observed: { state: 'absent' }, ref: {} };
      const ref = { resourceGroup: names.resourceGroup };
      if (group.properties?.provisioningState === 'Deleting') return { observed: { state: 'deleting' }, ref };
      return { observed: { state: 'provisioning' }, ref };
    }
    const ref = { resourceGroup: names.resourceGroup, privateLinkServiceId: pls.id };
    switch (pls.provisioningState) {
      case 'Succeeded':
        return { observed: readyService(spec, pls, await (early ?? loadBalancer())), ref };
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
  async createEndpointService(spec: EndpointServiceSpec, known: ProviderRef): Promise<CreatedEndpointService> {
    const account = await this.accountOf(spec);
    const clients = await this.pool.forAccount(account);
    const names = azureNames(spec.id);
    const tags = { [SERVICE_TAG]: spec.id, 'privlink-project-id': spec.projectId };
    const network = clients.network;
    await azure(() => clients.resources.resourceGroups.createOrUpdate(names.resourceGroup, { location: spec.region, tags }));
    const ref = { resourceGroup: names.resourceGroup };
    /** The load balancer as read, or as its operation answered once it ended; undefined while it provisions. */
    const readyLoadBalancer = async (ids: ReturnType<AzureProvider['ids']>, read: boolean): Promise<LoadBalancer | undefined> => {
      const lb = read ? await azureOrAbsent(() => network.loadBalancers.get(names.resourceGroup, names.loadBalancer)) : undefined;
      if (lb) return lb.provisioningState === 'Succeeded' ? lb : undefined;
      return (await settled(() => network.loadBalancers.beginCreateOrUpdate(names.resourceGroup, names.loadBalancer, this.loadBalancerBody(spec, tags, ids), POLLING)))?.result;
    };

    let lb: LoadBalancer | undefined;
    let ids: ReturnType<AzureProvider['ids']>;
    if (account) {
      // The provider VNet is made (or found) and the load balancer started in it under the network
      // lock, so a release of the same network never runs in between.
      const placed = await this.withNetworkLock(account, spec.region, async () => {
        const provider = await ensureProviderNetwork(clients, spec.region);
        if (!provider) return undefined;
        const placedIds = this.ids(spec.id, clients.connection.subscriptionId, provider);
        return { ids: placedIds, lb: await readyLoadBalancer(placedIds, true) };
      });
      if (!placed) return { ref };
      ids = placed.ids;
      lb = placed.lb;
    } else {
      ids = this.ids(spec.id, clients.connection.subscriptionId);
      // An empty ref: the pass saw no resource group (or nothing was ever made), so the group made
      // above is new and holds no virtual network yet; it is not read for.
      const vnet = known.resourceGroup ? await azureOrAbsent(() => network.virtualNetworks.get(names.resourceGroup, names.virtualNetwork)) : undefined;
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
      if (!vnetReady) return { ref };
      lb = await readyLoadBalancer(ids, vnet !== undefined);
    }
    if (!lb) return { ref };

    const pls = (
      await settled(() => network.privateLinkServices.beginCreateOrUpdate(names.resourceGroup, names.privateLinkService, this.privateLinkServiceBody(spec, tags, ids), POLLING))
    )?.result;
    // The private link service as its operation ended, beside the load balancer as its own did (a
    // private link service leaves its load balancer's rules and pools as they are): what an observe
    // would read now.
    if (pls?.provisioningState !== 'Succeeded') return { ref };
    return { ref, seen: { observed: readyService(spec, pls, lb), ref: { resourceGroup: names.resourceGroup, privateLinkServiceId: pls.id } } };
  }

  async syncListeners(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const names = azureNames(spec.id);
    const tags = { [SERVICE_TAG]: spec.id, 'privlink-project-id': spec.projectId };
    const clients = await this.clientsFor(spec);
    const network = clients.network;
    const lb = await azureOrAbsent(() => network.loadBalancers.get(names.resourceGroup, names.loadBalancer));
    // The network the load balancer was made in (the provider VNet, or the service's own) stays its network.
    const ids = this.ids(spec.id, clients.connection.subscriptionId, lb ? networkOf(lb) : undefined);
    if (lb?.provisioningState === 'Succeeded') {
      await settles(() => network.loadBalancers.beginCreateOrUpdate(names.resourceGroup, names.loadBalancer, this.loadBalancerBody(spec, tags, ids), POLLING));
    }
    const pls = await azureOrAbsent(() => network.privateLinkServices.get(names.resourceGroup, names.privateLinkService));
    if (pls?.provisioningState === 'Succeeded' && Boolean(pls.enableProxyProtocol) !== wantsProxyProtocol(spec.listeners)) {
      await azure(() => network.privateLinkServices.beginCreateOrUpdate(names.resourceGroup, names.privateLinkService, this.privateLinkServiceBody(spec, tags, ids)));
    }
  }

  /**
   * Deletes in the reverse order of creation, one resource per pass: the private link service
   * (Azure disconnects its private endpoints), the load balancer, the virtual network, then the
   * resource group. Absence of the group is the confirmation.
   */
  async deleteEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const names = azureNames(spec.id);
    const clients = await this.clientsFor(spec);
    const network = clients.network;
    const group = await azureOrAbsent(() => clients.resources.resourceGroups.get(names.resourceGroup));
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
    await azure(() => clients.resources.resourceGroups.beginDelete(names.resourceGroup));
  }

  async observeConnection(spec: EndpointServiceSpec, _ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<ObservedConnection> {
    const connection = await this.findConnection(spec, endpointId);
    if (connection === 'serviceNotReady') return { state: 'serviceNotReady' };
    if (!connection) return { state: 'absent' };
    return connectionObserved(connection);
  }

  /**
   * Approves the connection; answers it as the approval's answer shows it (ARM's PUT of a private
   * endpoint connection answers the connection it wrote, as a GET of the private link service would).
   */
  async acceptConnection(spec: EndpointServiceSpec, _ref: ProviderRef, { endpointId }: RegisteredEndpoint, seen?: ObservedConnection): Promise<ObservedConnection | undefined> {
    // A connection this pass has just seen pending is approved by the name it was seen under,
    // without reading the private link service again.
    const known = seen?.state === 'pendingAcceptance' && seen.connectionName ? { name: seen.connectionName, privateLinkServiceConnectionState: { status: 'Pending' } } : undefined;
    const written = await this.setConnectionState(spec, endpointId, 'Approved', 'Approved by privlink: the private endpoint is registered with this endpoint service.', known);
    return written && connectionObserved(written);
  }

  async rejectConnection(spec: EndpointServiceSpec, _ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<void> {
    await this.setConnectionState(spec, endpointId, 'Rejected', 'Rejected by privlink: the private endpoint was removed from this endpoint service.');
  }

  /** Sets the connection's state; the connection as ARM answered the change, or undefined when nothing was sent or the connection was gone. */
  private async setConnectionState(
    spec: EndpointServiceSpec,
    endpointId: string,
    status: 'Approved' | 'Rejected',
    description: string,
    known?: PrivateEndpointConnection,
  ): Promise<PrivateEndpointConnection | undefined> {
    const connection = known ?? (await this.findConnection(spec, endpointId));
    if (!connection || connection === 'serviceNotReady' || !connection.name) return undefined;
    if (connection.privateLinkServiceConnectionState?.status === status) return undefined;
    if (status === 'Approved' && connection.privateLinkServiceConnectionState?.status !== 'Pending') return undefined;
    const names = azureNames(spec.id);
    const clients = await this.clientsFor(spec);
    return azureOrAbsent(() =>
      clients.network.privateLinkServices.updatePrivateEndpointConnection(names.resourceGroup, names.privateLinkService, connection.name!, {
        privateLinkServiceConnectionState: { status, description, actionsRequired: 'None' },
      }),
    );
  }

  /** The private link service's connection from `endpointId` (ARM ids compare case-insensitively). */
  private async findConnection(spec: EndpointServiceSpec, endpointId: string): Promise<PrivateEndpointConnection | undefined | 'serviceNotReady'> {
    const names = azureNames(spec.id);
    const clients = await this.clientsFor(spec);
    const pls = await azureOrAbsent(() => clients.network.privateLinkServices.get(names.resourceGroup, names.privateLinkService));
    if (!pls) return 'serviceNotReady';
    const wanted = endpointId.toLowerCase();
    return pls.privateEndpointConnections?.find((c) => c.privateEndpoint?.id?.toLowerCase() === wanted);
  }

  private loadBalancerBody(spec: EndpointServiceSpec, tags: Record<string, string>, ids: ReturnType<AzureProvider['ids']>): LoadBalancer {
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

  private privateLinkServiceBody(spec: EndpointServiceSpec, tags: Record<string, string>, ids: ReturnType<AzureProvider['ids']>): PrivateLinkService {
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

/** The network a load balancer's frontend is in (the provider VNet of a placed service, or the service's own). */
function networkOf(lb: LoadBalancer): ProviderNetwork | undefined {
  const subnetId = lb.frontendIPConfigurations?.[0]?.subnet?.id;
  const cut = subnetId?.toLowerCase().lastIndexOf('/subnets/') ?? -1;
  return subnetId && cut > 0 ? { virtualNetworkId: subnetId.slice(0, cut), subnetId } : undefined;
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

/** A private link service that has succeeded, with its load balancer (undefined when absent), as the seam reads it. */
function readyService(spec: EndpointServiceSpec, pls: PrivateLinkService, lb: LoadBalancer | undefined): ObservedEndpointService {
  return {
    state: 'ready',
    serviceName: pls.name ?? azureNames(spec.id).privateLinkService,
    availabilityZones: [],
    listenersInSync: lb !== undefined && lb.provisioningState === 'Succeeded' && listenersMatch(lb, pls, spec.listeners),
    detail: { cloud: 'AZURE', privateLinkServiceResourceId: pls.id ?? null },
  };
}

/** A private endpoint connection as the seam reads it: approved and provisioned is available. */
function connectionObserved(connection: PrivateEndpointConnection): ObservedConnection {
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
