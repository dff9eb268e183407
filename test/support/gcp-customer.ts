import { readFileSync } from 'node:fs';
import { AddressesClient, ForwardingRulesClient, NetworksClient, RegionOperationsClient, SubnetworksClient, GlobalOperationsClient, type protos } from '@google-cloud/compute';

/** The local cloud's GCP customer as bootstrap.json describes it. */
export interface GcpCustomerAccess {
  /** `http://host:port` of the Compute emulation. */
  readonly endpoint: string;
  /** The customer's project. */
  readonly projectId: string;
  /** Path of the customer's service-account key file. */
  readonly keyFile: string;
}

type Operation = protos.google.cloud.compute.v1.IOperation;

/**
 * The customer's side of GCP Private Service Connect with the official `@google-cloud/compute`
 * clients, as a customer's own code does it: a VPC network with a subnet, and per service
 * attachment an internal address and a forwarding rule targeting the attachment.
 */
export class GcpCustomer {
  readonly project: string;
  private readonly networks: NetworksClient;
  private readonly subnetworks: SubnetworksClient;
  private readonly addresses: AddressesClient;
  readonly forwardingRules: ForwardingRulesClient;
  private readonly regionOperations: RegionOperationsClient;
  private readonly globalOperations: GlobalOperationsClient;

  constructor(access: GcpCustomerAccess) {
    const url = new URL(access.endpoint);
    const options = {
      projectId: access.projectId,
      apiEndpoint: url.hostname,
      port: Number(url.port),
      protocol: 'http',
      credentials: JSON.parse(readFileSync(access.keyFile, 'utf8')) as object,
      scopes: [] as string[],
    };
    this.project = access.projectId;
    this.networks = new NetworksClient(options);
    this.subnetworks = new SubnetworksClient(options);
    this.addresses = new AddressesClient(options);
    this.forwardingRules = new ForwardingRulesClient(options);
    this.regionOperations = new RegionOperationsClient(options);
    this.globalOperations = new GlobalOperationsClient(options);
  }

  /** Waits for a started operation; an operation DONE with an error rejects. */
  async done(started: Promise<[{ latestResponse: Operation }, ...unknown[]]>): Promise<void> {
    const [lro] = await started;
    let op = lro.latestResponse;
    while (op.status !== 'DONE') {
      const region = op.region?.split('/').pop();
      [op] = region
        ? await this.regionOperations.wait({ project: this.project, region, operation: op.name! })
        : await this.globalOperations.wait({ project: this.project, operation: op.name! });
    }
    if (op.error?.errors?.length) throw new Error(`${op.error.errors[0]!.code}: ${op.error.errors[0]!.message}`);
  }

  /** VPC network `name` (custom subnet mode). */
  async network(name: string): Promise<void> {
    await this.done(this.networks.insert({ project: this.project, networkResource: { name, autoCreateSubnetworks: false } }) as never);
  }

  /** Subnet `name` of `network` in `region`. */
  async subnet(name: string, network: string, region: string, range: string): Promise<void> {
    await this.done(this.subnetworks.insert({ project: this.project, region, subnetworkResource: { name, network: `global/networks/${network}`, ipCidrRange: range } }) as never);
  }

  /**
   * For each attachment path (`projects/…/serviceAttachments/…`), address (in `subnet`) and
   * forwarding rule `<prefix>-<i>` in `network`; returns what the customer registers:
   * `{endpointName, ipAddress}`.
   */
  async endpoints(
    prefix: string,
    place: { readonly region: string; readonly network: string; readonly subnet: string },
    attachments: readonly string[],
  ): Promise<Array<{ endpointName: string; ipAddress: string }>> {
    const { region, network, subnet } = place;
    const out: Array<{ endpointName: string; ipAddress: string }> = [];
    for (const [i, attachment] of attachments.entries()) {
      const name = `${prefix}-${i}`;
      await this.done(
        this.addresses.insert({
          project: this.project,
          region,
          addressResource: { name, addressType: 'INTERNAL', subnetwork: `regions/${region}/subnetworks/${subnet}` },
        }) as never,
      );
      await this.done(
        this.forwardingRules.insert({
          project: this.project,
          region,
          forwardingRuleResource: { name, target: attachment, network: `global/networks/${network}`, IPAddress: `regions/${region}/addresses/${name}` },
        }) as never,
      );
      const [rule] = await this.forwardingRules.get({ project: this.project, region, forwardingRule: name });
      out.push({ endpointName: name, ipAddress: rule.IPAddress! });
    }
    return out;
  }

  /** Deletes forwarding rule and address `name`. */
  async deleteEndpoint(name: string, region: string): Promise<void> {
    await this.done(this.forwardingRules.delete({ project: this.project, region, forwardingRule: name }) as never);
    await this.done(this.addresses.delete({ project: this.project, region, address: name }) as never);
  }

  async close(): Promise<void> {
    for (const c of [this.networks, this.subnetworks, this.addresses, this.forwardingRules, this.regionOperations, this.globalOperations]) await c.close();
  }
}
