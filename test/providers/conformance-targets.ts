import { CreateVpcEndpointCommand, DeleteVpcEndpointsCommand, DescribeVpcEndpointServiceConfigurationsCommand } from '@aws-sdk/client-ec2';
import { DeleteListenerCommand, DescribeListenersCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CloudProviderAdapter, RegisteredEndpoint } from '../../src/providers/cloud-provider.js';
import { AwsClientPool } from '../../src/providers/aws/aws-clients.js';
import { AwsProvider } from '../../src/providers/aws/aws.provider.js';
import { AzureClientPool } from '../../src/providers/azure/azure-clients.js';
import { azureNames } from '../../src/providers/azure/azure-names.js';
import { AzureProvider } from '../../src/providers/azure/azure.provider.js';
import { GcpClients } from '../../src/providers/gcp/gcp-clients.js';
import { gcpNames } from '../../src/providers/gcp/gcp-names.js';
import { GcpProvider } from '../../src/providers/gcp/gcp.provider.js';
import { createGroup, POLL, startAzure } from '../localcloud/azure/harness.js';
import { consumerNetwork, pscEndpoint, REGION as GCP_REGION, startGcp } from '../localcloud/gcp/harness.js';
import { defaultNetwork, startHarness } from '../localcloud-aws/harness.js';

/**
 * One cloud as the provider conformance suite sees it: the real adapter, pointed at that cloud's
 * emulator, and the customer's and the cloud's own hands (what a customer or an operator does
 * in the cloud outside privlink). A new cloud joins the suite with one more entry in `TARGETS`.
 */
export interface ConformanceTarget {
  readonly provider: string;
  readonly adapter: CloudProviderAdapter;
  /** A provider region the adapter serves. */
  readonly region: string;
  /** The customer creates an endpoint to `serviceName` in their own network; returns its id. */
  customerEndpoint(serviceName: string): Promise<string>;
  /** The customer deletes their endpoint. */
  deleteCustomerEndpoint(endpointId: string): Promise<void>;
  /** Someone deletes the listener/forwarding rule of `port` in the cloud, behind privlink's back. */
  driftRemoveListener(serviceId: string, port: number): Promise<void>;
  /** How many load balancers / services exist for privlink service `serviceId` (duplicates show here). */
  countResources(serviceId: string): Promise<{ loadBalancers: number; services: number }>;
  /** The next call of `operation` answers throttling, or a 5xx. */
  failNext(operation: string, kind: 'throttle' | '5xx'): Promise<void>;
  /** The operation observe calls first (so a fault there hits observe). */
  readonly firstObserveOperation: string;
  /** Whether a ready service names availability zones (AWS); Azure's private link services are regional. */
  readonly zonal: boolean;
  /** A well-formed customer endpoint id that no endpoint has. */
  readonly unknownEndpointId: string;
  /** The endpoint as a customer registers it with privlink (GCP: the forwarding rule as a group of one). */
  registration(endpointId: string): RegisteredEndpoint;
  close(): Promise<void>;
}

async function awsTarget(): Promise<ConformanceTarget> {
  const h = await startHarness({ delays: 'instant' });
  const pool = new AwsClientPool({ endpoint: h.url, credentials: h.cloud.accounts.provider, requestTimeoutMs: 10_000 });
  const customer = h.ec2(h.cloud.accounts.customer);
  const providerEc2 = h.ec2(h.cloud.accounts.provider);
  const providerElb = h.elb(h.cloud.accounts.provider);
  const network = await defaultNetwork(h, h.cloud.accounts.customer);
  return {
    provider: 'AWS',
    adapter: new AwsProvider(pool),
    region: 'us-east-1',
    firstObserveOperation: 'DescribeLoadBalancers',
    zonal: true,
    unknownEndpointId: 'vpce-0000000000000000f',
    registration: (endpointId) => ({ endpointId, detail: { cloud: 'AWS' } }),
    async customerEndpoint(serviceName) {
      const created = await customer.send(
        new CreateVpcEndpointCommand({ VpcId: network.vpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [network.subnetByZone.get('us-east-1a')!] }),
      );
      return created.VpcEndpoint!.VpcEndpointId!;
    },
    async deleteCustomerEndpoint(endpointId) {
      await customer.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    },
    async driftRemoveListener(serviceId, port) {
      const lb = (await providerElb.send(new DescribeLoadBalancersCommand({ Names: [`pl-${serviceId}`] }))).LoadBalancers![0]!;
      const listener = (await providerElb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!.find((l) => l.Port === port)!;
      await providerElb.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    },
    async countResources(serviceId) {
      const lbs = (await providerElb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
      const services =
        (await providerEc2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'tag:privlink:endpoint-service-id', Values: [serviceId] }] })))
          .ServiceConfigurations ?? [];
      return { loadBalancers: lbs.filter((lb) => lb.LoadBalancerName === `pl-${serviceId}`).length, services: services.filter((s) => s.ServiceState !== 'Deleted').length };
    },
    async failNext(operation, kind) {
      await h.cloud.setFault(
        operation,
        kind === 'throttle' ? { kind: 'throttle', times: 1 } : { kind: 'error', code: 'InternalError', message: 'An internal error has occurred', status: 500, times: 1 },
      );
    },
    async close() {
      pool.destroy();
      await h.close();
    },
  };
}

async function azureTarget(): Promise<ConformanceTarget> {
  const h = await startAzure();
  const provider = h.cloud.accounts.provider;
  const customer = h.cloud.accounts.customer;
  const clients = new AzureClientPool({ subscriptionId: provider.subscriptionId, endpoint: h.cloud.url, servicePrincipal: provider, ca: h.ca });
  const providerNet = h.network(provider);
  const customerNet = h.network(customer);
  await createGroup(h, customer, 'rg-customer', 'eastus2');
  const vnet = await customerNet.virtualNetworks.beginCreateOrUpdateAndWait(
    'rg-customer',
    'vnet-customer',
    { location: 'eastus2', addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24' }] },
    POLL,
  );
  const subnetId = vnet.subnets!.find((sub) => sub.name === 'default')!.id!;
  let endpoints = 0;
  const listAll = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
    const all: T[] = [];
    for await (const item of pages) all.push(item);
    return all;
  };
  return {
    provider: 'AZURE',
    adapter: new AzureProvider(clients),
    region: 'eastus2',
    firstObserveOperation: 'PrivateLinkServices_Get',
    zonal: false,
    unknownEndpointId: `/subscriptions/${customer.subscriptionId}/resourceGroups/rg-customer/providers/Microsoft.Network/privateEndpoints/nobody`,
    registration: (endpointId) => ({ endpointId, detail: { cloud: 'AZURE', privateEndpointIPAddress: '10.0.0.4', privateEndpointConnectionName: null } }),
    async customerEndpoint(serviceName) {
      const pls = (await listAll(providerNet.privateLinkServices.listBySubscription())).find((p) => p.name === serviceName)!;
      const name = `pe-${++endpoints}`;
      const pe = await customerNet.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-customer',
        name,
        { location: 'eastus2', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: pls.id! }] },
        POLL,
      );
      return pe.id!;
    },
    async deleteCustomerEndpoint(endpointId) {
      await customerNet.privateEndpoints.beginDeleteAndWait('rg-customer', endpointId.split('/').pop()!, POLL);
    },
    async driftRemoveListener(serviceId, port) {
      const names = azureNames(serviceId);
      const lb = await providerNet.loadBalancers.get(names.resourceGroup, names.loadBalancer);
      await providerNet.loadBalancers.beginCreateOrUpdateAndWait(
        names.resourceGroup,
        names.loadBalancer,
        { ...lb, loadBalancingRules: (lb.loadBalancingRules ?? []).filter((r) => r.frontendPort !== port) },
        POLL,
      );
    },
    async countResources(serviceId) {
      const names = azureNames(serviceId);
      const lbs = await listAll(providerNet.loadBalancers.listAll());
      const services = await listAll(providerNet.privateLinkServices.listBySubscription());
      return {
        loadBalancers: lbs.filter((lb) => lb.name === names.loadBalancer).length,
        services: services.filter((p) => p.name === names.privateLinkService).length,
      };
    },
    async failNext(operation, kind) {
      await h.cloud.setFault(
        operation,
        kind === 'throttle'
          ? { kind: 'throttle', retryAfterSeconds: 1, times: 1 }
          : { kind: 'error', code: 'InternalServerError', message: 'An internal error occurred.', status: 500, times: 1 },
      );
    },
    async close() {
      await h.close();
    },
  };
}

async function gcpTarget(): Promise<ConformanceTarget> {
  const h = await startGcp();
  const producer = h.cloud.projects.producer;
  const clients = new GcpClients({ projectId: producer.projectId, endpoint: { host: h.cloud.host, port: h.cloud.port }, serviceAccountKey: producer.serviceAccountKey });
  const p = h.clients(producer);
  const customer = await consumerNetwork(h);
  let endpoints = 0;
  return {
    provider: 'GCP',
    adapter: new GcpProvider(clients),
    region: GCP_REGION,
    firstObserveOperation: 'compute.serviceAttachments.get',
    zonal: false,
    unknownEndpointId: `projects/${customer.project}/regions/${GCP_REGION}/forwardingRules/nobody`,
    registration(endpointId) {
      const [, project, , , , name] = endpointId.split('/');
      return {
        endpointId: name!,
        detail: { cloud: 'GCP', gcpProjectId: project!, endpoints: [{ endpointName: name!, ipAddress: '10.0.0.2', status: 'PENDING_ACCEPTANCE' }], portMappingEnabled: true },
      };
    },
    async customerEndpoint(serviceName) {
      const [attachment] = await p.serviceAttachments.get({ project: p.project, region: GCP_REGION, serviceAttachment: serviceName });
      const name = `psc-ep-${++endpoints}`;
      await pscEndpoint(customer, name, attachment.selfLink!);
      return `projects/${customer.project}/regions/${GCP_REGION}/forwardingRules/${name}`;
    },
    async deleteCustomerEndpoint(endpointId) {
      const name = endpointId.split('/').pop()!;
      await customer.done(customer.forwardingRules.delete({ project: customer.project, region: GCP_REGION, forwardingRule: name }));
      await customer.done(customer.addresses.delete({ project: customer.project, region: GCP_REGION, address: `${name}-ip` }));
    },
    async driftRemoveListener(serviceId, port) {
      const [unit] = gcpNames({ id: serviceId, projectId: '', region: GCP_REGION, layout: 'portMapped' }).units;
      const [mappings] = await p.regionNegs.listNetworkEndpoints({ project: p.project, region: GCP_REGION, networkEndpointGroup: unit!.neg });
      const networkEndpoints = mappings.filter((m) => m.networkEndpoint?.clientDestinationPort === port).map((m) => m.networkEndpoint!);
      await p.done(
        p.regionNegs.detachNetworkEndpoints({
          project: p.project,
          region: GCP_REGION,
          networkEndpointGroup: unit!.neg,
          regionNetworkEndpointGroupsDetachEndpointsRequestResource: { networkEndpoints },
        }),
      );
    },
    async countResources(serviceId) {
      const [names] = gcpNames({ id: serviceId, projectId: '', region: GCP_REGION, layout: 'portMapped' }).units;
      const [rules] = await p.forwardingRules.list({ project: p.project, region: GCP_REGION });
      const [attachments] = await p.serviceAttachments.list({ project: p.project, region: GCP_REGION });
      return {
        loadBalancers: rules.filter((r) => r.name === names!.forwardingRule).length,
        services: attachments.filter((a) => a.name === names!.serviceAttachment).length,
      };
    },
    async failNext(operation, kind) {
      await h.cloud.setFault(
        operation,
        kind === 'throttle'
          ? { kind: 'throttle', times: 1 }
          : { kind: 'error', code: 'backendError', message: 'Internal error. Please try again or contact Google Support.', status: 500, times: 1 },
      );
    },
    async close() {
      await clients.close();
      await h.close();
    },
  };
}

/** Every cloud the suite runs against. */
export const TARGETS: ReadonlyArray<{ readonly provider: string; start(): Promise<ConformanceTarget> }> = [
  { provider: 'AWS', start: awsTarget },
  { provider: 'AZURE', start: azureTarget },
  { provider: 'GCP', start: gcpTarget },
];
