// The customer's side of the GCP flow on the local cloud's Compute Engine, with the official
// `@google-cloud/compute` clients as a customer's code uses them: one VPC network and subnet made
// once (untimed), then per run an internal address and a Private Service Connect forwarding rule
// to the provider's service attachment, registered as an endpoint group of one.
import { FlowError, type CustomerSide } from './atlas-flow.js';
import { GcpCustomer, type GcpCustomerAccess } from '../../test/support/gcp-customer.js';

const REGION = 'us-central1';
const NETWORK = 'bench-net';

export class CustomerPsc implements CustomerSide {
  readonly provider = 'GCP' as const;
  readonly steps = 'address, forwarding rule (operations waited)';
  private made = 0;

  private constructor(private readonly customer: GcpCustomer) {}

  /** Signs in with the customer's service-account key and makes the network and its subnet. */
  static async create(access: GcpCustomerAccess): Promise<CustomerPsc> {
    const customer = new GcpCustomer(access);
    await customer.network(NETWORK);
    await customer.subnet(NETWORK, NETWORK, REGION, '10.128.0.0/20');
    return new CustomerPsc(customer);
  }

  async createEndpoint(target: string): Promise<{ id: string; registration: Record<string, unknown> }> {
    const group = `bench-${++this.made}`;
    const endpoints = await this.customer.endpoints(group, { region: REGION, network: NETWORK, subnet: NETWORK }, [target]);
    if (endpoints.length !== 1) throw new FlowError(`expected one forwarding rule, made ${endpoints.length}`);
    return { id: group, registration: { endpointGroupName: group, gcpProjectId: this.customer.project, endpoints } };
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.customer.deleteEndpoint(`${id}-0`, REGION);
  }

  close(): void {
    void this.customer.close();
  }
}
