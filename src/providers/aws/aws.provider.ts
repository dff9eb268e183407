import {
  AcceptVpcEndpointConnectionsCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcsCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  type ServiceConfiguration,
  type VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand, DescribeLoadBalancersCommand, type LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ObservedEndpointService } from '../../domain/endpoint-service.js';
import type { ObservedConnection } from '../../domain/interface-endpoint.js';
import { ProviderError, type CloudProviderAdapter, type EndpointServiceSpec, type ProviderRef } from '../cloud-provider.js';
import type { AwsClientPool, RegionClients } from './aws-clients.js';
import { aws, awsOrAbsent } from './aws-errors.js';
import { deleteAllListeners, syncListeners } from './aws-listeners.js';
import { loadBalancerName, SERVICE_TAG, serviceClientToken } from './aws-names.js';

/**
 * The AWS adapter: an endpoint service is an internal network load balancer in the provider
 * account's default VPC of the region, its port-per-node listeners and target groups, and a VPC
 * endpoint service on it with acceptance required and open principals (`*`: acceptance of
 * registered endpoints is the authorisation, as Atlas never asks for the customer's account).
 * Registering an interface endpoint is accepting its connection; a connection nobody registered
 * stays pendingAcceptance, and is rejected when its service is deleted.
 *
 * Idempotency: the load balancer is found by its name (`pl-<serviceId>`), the endpoint service by
 * its tag and created with the client token `privlink-<serviceId>`, target groups by name; so a
 * crash between a call and the commit of its result is repaired by the next observe.
 */
export class AwsProvider implements CloudProviderAdapter {
  constructor(private readonly pool: AwsClientPool) {}

  async observeEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }> {
    const clients = this.pool.forRegion(spec.region);
    const lb = await findLoadBalancer(clients, spec.id);
    const service = await findServiceConfiguration(clients, spec.id, ref.serviceId);
    const next: ProviderRef = {
      ...ref,
      ...(lb?.LoadBalancerArn ? { loadBalancerArn: lb.LoadBalancerArn } : {}),
      ...(service?.ServiceId ? { serviceId: service.ServiceId, serviceName: service.ServiceName } : {}),
    };
    if (service) delete (next as Record<string, unknown>).createPendingSince;
    const state = service?.ServiceState;
    if (!lb && (!service || state === 'Deleted')) return { observed: { state: 'absent' }, ref: next };
    if (state === 'Failed') return { observed: { state: 'failed', message: `AWS reports the VPC endpoint service ${service!.ServiceId} as Failed.` }, ref: next };
    if (state === 'Deleting' || state === 'Deleted') return { observed: { state: 'deleting' }, ref: next };
    if (service && state === 'Available' && lb?.State?.Code === 'active') {
      return {
        observed: { state: 'ready', serviceName: service.ServiceName!, availabilityZones: service.AvailabilityZones ?? [] },
        ref: next,
      };
    }
    if (lb?.State?.Code === 'failed') {
      return { observed: { state: 'failed', message: `AWS failed to provision network load balancer ${lb.LoadBalancerName}: ${lb.State.Reason ?? 'no reason given'}` }, ref: next };
    }
    return { observed: { state: 'provisioning' }, ref: next };
  }

  async createEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<ProviderRef> {
    const clients = this.pool.forRegion(spec.region);
    let lb = await findLoadBalancer(clients, spec.id);
    if (!lb) {
      const subnets = await providerSubnets(clients);
      const created = await aws(() =>
        clients.elb.send(
          new CreateLoadBalancerCommand({
            Name: loadBalancerName(spec.id),
            Type: 'network',
            Scheme: 'internal',
            Subnets: subnets,
            Tags: [{ Key: SERVICE_TAG, Value: spec.id }, { Key: 'privlink:project-id', Value: spec.projectId }],
          }),
        ),
      );
      lb = created.LoadBalancers?.[0];
      // Create answers `provisioning`; look once more in case it is already active (no extra pass needed then).
      if (lb?.State?.Code !== 'active') lb = (await findLoadBalancer(clients, spec.id)) ?? lb;
    }
    if (!lb?.LoadBalancerArn) throw new ProviderError('transient', 'LoadBalancerMissing', `Load balancer ${loadBalancerName(spec.id)} was not returned`);
    let next: ProviderRef = { ...ref, loadBalancerArn: lb.LoadBalancerArn };
    if (lb.State?.Code !== 'active') return next; // provisioning: the next pass continues
    let service = await findServiceConfiguration(clients, spec.id, ref.serviceId);
    if (!service) {
      const created = await aws(() =>
        clients.ec2.send(
          new CreateVpcEndpointServiceConfigurationCommand({
            NetworkLoadBalancerArns: [lb!.LoadBalancerArn!],
            AcceptanceRequired: true,
            ClientToken: serviceClientToken(spec.id),
            TagSpecifications: [
              { ResourceType: 'vpc-endpoint-service', Tags: [{ Key: SERVICE_TAG, Value: spec.id }, { Key: 'privlink:project-id', Value: spec.projectId }] },
            ],
          }),
        ),
      );
      service = created.ServiceConfiguration;
    }
    if (!service?.ServiceId) throw new ProviderError('transient', 'ServiceMissing', 'The endpoint service was not returned');
    next = { ...next, serviceId: service.ServiceId, serviceName: service.ServiceName };
    await openPrincipals(clients, service.ServiceId);
    await syncListeners(clients, spec, lb);
    return next;
  }

  async syncListeners(spec: EndpointServiceSpec): Promise<void> {
    const clients = this.pool.forRegion(spec.region);
    const lb = await findLoadBalancer(clients, spec.id);
    if (lb?.State?.Code === 'active') await syncListeners(clients, spec, lb);
  }

  async deleteEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<void> {
    const clients = this.pool.forRegion(spec.region);
    const service = await findServiceConfiguration(clients, spec.id, ref.serviceId);
    if (service?.ServiceId && service.ServiceState !== 'Deleted' && service.ServiceState !== 'Deleting') {
      const live = (await connectionsOf(clients, service.ServiceId)).filter((c) =>
        ['pendingAcceptance', 'pending', 'available'].includes(c.VpcEndpointState ?? ''),
      );
      if (live.length > 0) {
        await aws(() =>
          clients.ec2.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: service.ServiceId, VpcEndpointIds: live.map((c) => c.VpcEndpointId!) })),
        );
      }
      const result = await aws(() => clients.ec2.send(new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [service.ServiceId!] })));
      const failure = result.Unsuccessful?.[0]?.Error;
      if (failure) throw new ProviderError('conflict', failure.Code ?? 'Unsuccessful', failure.Message ?? 'The endpoint service could not be deleted yet');
    }
    const lb = await findLoadBalancer(clients, spec.id);
    await deleteAllListeners(clients, spec, lb);
    if (lb?.LoadBalancerArn) {
      await awsOrAbsent(() => clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })), ['LoadBalancerNotFound', 'LoadBalancerNotFoundException']);
    }
  }

  async observeConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string): Promise<ObservedConnection> {
    const clients = this.pool.forRegion(spec.region);
    const serviceId = ref.serviceId ?? (await findServiceConfiguration(clients, spec.id, undefined))?.ServiceId;
    if (!serviceId) return { state: 'serviceNotReady' };
    const mine = await describeConnections(clients, [
      { Name: 'service-id', Values: [serviceId] },
      { Name: 'vpc-endpoint-id', Values: [endpointId] },
    ]);
    const connection = mine[0];
    if (connection) return { state: connectionState(connection.VpcEndpointState) };
    const elsewhere = (await describeConnections(clients, [{ Name: 'vpc-endpoint-id', Values: [endpointId] }])).find((c) => c.ServiceId !== serviceId);
    if (elsewhere?.ServiceId) {
      const other = await awsOrAbsent(
        () => clients.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [elsewhere.ServiceId!] })),
        ['InvalidVpcEndpointServiceId.NotFound'],
      );
      return { state: 'otherService', serviceName: other?.ServiceConfigurations?.[0]?.ServiceName ?? elsewhere.ServiceId };
    }
    return { state: 'absent' };
  }

  async acceptConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string): Promise<void> {
    await this.decide(spec, ref, endpointId, 'accept');
  }

  async rejectConnection(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string): Promise<void> {
    await this.decide(spec, ref, endpointId, 'reject');
  }

  private async decide(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string, verdict: 'accept' | 'reject'): Promise<void> {
    const clients = this.pool.forRegion(spec.region);
    const serviceId = ref.serviceId ?? (await findServiceConfiguration(clients, spec.id, undefined))?.ServiceId;
    if (!serviceId) throw new ProviderError('transient', 'ServiceNotReady', 'The endpoint service does not exist yet');
    const input = { ServiceId: serviceId, VpcEndpointIds: [endpointId] };
    const result = await aws(() =>
      clients.ec2.send(verdict === 'accept' ? new AcceptVpcEndpointConnectionsCommand(input) : new RejectVpcEndpointConnectionsCommand(input)),
    );
    const failure = result.Unsuccessful?.[0]?.Error;
    if (!failure) return;
    // Accepting an accepted connection (or rejecting a gone one) is fine: check what it is now.
    const now = await this.observeConnection(spec, ref, endpointId);
    const settled = verdict === 'accept' ? ['pending', 'available'] : ['rejected', 'deleted', 'absent', 'failed', 'expired'];
    if (settled.includes(now.state)) return;
    throw new ProviderError('invalid', failure.Code ?? 'Unsuccessful', failure.Message ?? `AWS did not ${verdict} the connection`);
  }
}

async function findLoadBalancer(clients: RegionClients, serviceId: string): Promise<LoadBalancer | undefined> {
  const result = await awsOrAbsent(
    () => clients.elb.send(new DescribeLoadBalancersCommand({ Names: [loadBalancerName(serviceId)] })),
    ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'],
  );
  return result?.LoadBalancers?.[0];
}

async function findServiceConfiguration(clients: RegionClients, serviceId: string, knownId: string | undefined): Promise<ServiceConfiguration | undefined> {
  if (knownId) {
    const byId = await awsOrAbsent(
      () => clients.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [knownId] })),
      ['InvalidVpcEndpointServiceId.NotFound', 'InvalidVpcEndpointService.NotFound'],
    );
    const found = byId?.ServiceConfigurations?.[0];
    if (found) return found;
  }
  const byTag = await aws(() =>
    clients.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: `tag:${SERVICE_TAG}`, Values: [serviceId] }] })),
  );
  const configurations = byTag.ServiceConfigurations ?? [];
  return configurations.find((c) => c.ServiceState !== 'Deleted') ?? configurations[0];
}

async function providerSubnets(clients: RegionClients): Promise<string[]> {
  const vpcs = await aws(() => clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] })));
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId) throw new ProviderError('invalid', 'NoDefaultVpc', 'The provider account has no default VPC in this region');
  const subnets = await aws(() => clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })));
  // One subnet per availability zone (an NLB takes at most one per AZ).
  const byZone = new Map<string, string>();
  for (const subnet of subnets.Subnets ?? []) {
    if (subnet.AvailabilityZone && subnet.SubnetId && !byZone.has(subnet.AvailabilityZone)) byZone.set(subnet.AvailabilityZone, subnet.SubnetId);
  }
  if (byZone.size === 0) throw new ProviderError('invalid', 'NoSubnets', `The provider VPC ${vpcId} has no subnets`);
  return [...byZone.values()];
}

async function openPrincipals(clients: RegionClients, serviceId: string): Promise<void> {
  const current = await aws(() => clients.ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId })));
  if ((current.AllowedPrincipals ?? []).some((p) => p.Principal === '*')) return;
  await aws(() => clients.ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: ['*'] })));
}

async function connectionsOf(clients: RegionClients, serviceId: string): Promise<VpcEndpointConnection[]> {
  return describeConnections(clients, [{ Name: 'service-id', Values: [serviceId] }]);
}

async function describeConnections(clients: RegionClients, filters: Array<{ Name: string; Values: string[] }>): Promise<VpcEndpointConnection[]> {
  const out: VpcEndpointConnection[] = [];
  let token: string | undefined;
  do {
    const page = await aws(() => clients.ec2.send(new DescribeVpcEndpointConnectionsCommand({ Filters: filters, NextToken: token, MaxResults: 1000 })));
    out.push(...(page.VpcEndpointConnections ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

function connectionState(state: string | undefined): 'pendingAcceptance' | 'pending' | 'available' | 'rejected' | 'deleted' | 'failed' | 'expired' {
  switch (state) {
    case 'pendingAcceptance':
    case 'pending':
    case 'available':
    case 'rejected':
    case 'failed':
    case 'expired':
      return state;
    case 'deleting':
    case 'deleted':
      return 'deleted';
    default:
      return 'pending';
  }
}
