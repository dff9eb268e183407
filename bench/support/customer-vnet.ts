// The customer's side of the Azure flow on the local cloud's Azure Resource Manager, with the
// official SDK as examples/azure/create-private-endpoint.mjs uses it: one resource group and VNet
// made once (untimed), then per run a private endpoint with a manual connection to the provider's
// private link service, its IP read from its network interface.
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ClientSecretCredential } from '@azure/identity';
import { FlowError, type CustomerSide } from './atlas-flow.js';

/** A service principal as bootstrap.json `localCloud.azure.customer` gives it. */
export interface AzurePrincipal {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

const LOCATION = 'eastus2';
const GROUP = 'rg-bench';
const VNET = 'vnet-bench';

export class CustomerVnet implements CustomerSide {
  readonly provider = 'AZURE' as const;
  readonly steps = 'private endpoint (LRO), its NIC';
  private made = 0;

  private constructor(
    private readonly network: NetworkManagementClient,
    private readonly subnetId: string,
    private readonly wait: { readonly updateIntervalInMs: number },
  ) {}

  /**
   * Signs in as `principal` at the local cloud (`endpoint` is its ARM URL and authority host,
   * `ca` the PEM its certificate chains to), and makes the resource group and the VNet with one
   * subnet. Long-running operations are polled every `pollMs`. SDK retries off.
   */
  static async create(endpoint: string, ca: string, principal: AzurePrincipal, pollMs: number): Promise<CustomerVnet> {
    const credential = new ClientSecretCredential(principal.tenantId, principal.clientId, principal.clientSecret, {
      authorityHost: endpoint,
      // Instance discovery asks login.microsoftonline.com about the authority; a private authority host skips it.
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    });
    const options = { endpoint, tlsOptions: { ca }, retryOptions: { maxRetries: 0 } };
    const network = new NetworkManagementClient(credential, principal.subscriptionId, options);
    const resources = new ResourceManagementClient(credential, principal.subscriptionId, options);
    const wait = { updateIntervalInMs: pollMs };
    await resources.resourceGroups.createOrUpdate(GROUP, { location: LOCATION });
    const vnet = await network.virtualNetworks.beginCreateOrUpdateAndWait(
      GROUP,
      VNET,
      {
        location: LOCATION,
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24', privateEndpointNetworkPolicies: 'Disabled' }],
      },
      wait,
    );
    const subnetId = vnet.subnets?.find((s) => s.name === 'default')?.id;
    if (!subnetId) throw new FlowError(`VNet ${VNET}: no subnet "default"`);
    return new CustomerVnet(network, subnetId, wait);
  }

  /** A private endpoint with a manual connection to the private link service `plsId`; registers as `{id, privateEndpointIPAddress}`. */
  async createEndpoint(plsId: string): Promise<{ id: string; registration: Record<string, string> }> {
    const name = `pe-bench-${++this.made}`;
    const endpoint = await this.network.privateEndpoints.beginCreateOrUpdateAndWait(
      GROUP,
      name,
      { location: LOCATION, subnet: { id: this.subnetId }, manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: plsId, requestMessage: 'privlink benchmark' }] },
      this.wait,
    );
    const nicId = endpoint.networkInterfaces?.[0]?.id;
    if (!endpoint.id || !nicId) throw new FlowError(`private endpoint ${name}: no id or no network interface`);
    // The NIC's id names its resource group and name: /subscriptions/…/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{name}.
    const [, nicGroup, nicName] = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkInterfaces\/([^/]+)$/i.exec(nicId) ?? [];
    if (!nicGroup || !nicName) throw new FlowError(`private endpoint ${name}: unexpected network interface id ${nicId}`);
    const nic = await this.network.networkInterfaces.get(nicGroup, nicName);
    const ip = nic.ipConfigurations?.[0]?.privateIPAddress;
    if (!ip) throw new FlowError(`network interface ${nicName}: no private IP`);
    return { id: endpoint.id, registration: { id: endpoint.id, privateEndpointIPAddress: ip } };
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.network.privateEndpoints.beginDeleteAndWait(GROUP, id.split('/').pop()!, this.wait);
  }

  close(): void {
    // The ARM clients hold no resources of their own beyond keep-alive sockets, which privlink closes on stop.
  }
}
