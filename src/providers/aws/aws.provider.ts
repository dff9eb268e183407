import {
  AcceptVpcEndpointConnectionsCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  RejectVpcEndpointConnectionsCommand,
  type ServiceConfiguration,
  type VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand, DescribeLoadBalancersCommand, type LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ObservedEndpointService } from '../../domain/endpoint-service.js';
import type { ObservedConnection, ProviderWording } from '../../domain/interface-endpoint.js';
import {
  ProviderError,
  type AccountRegionQuotas,
  type CloudProviderAdapter,
  type CreatedEndpointService,
  type EndpointServiceSpec,
  type ProviderAccountAccess,
  type ProviderAccountDirectory,
  type ProviderCapacityAdapter,
  type ProviderRef,
  type RegisteredEndpoint,
} from '../cloud-provider.js';
import { countVpcs, deleteProviderNetwork, dropProviderSubnet, ensureProviderNetwork, findProviderVpc } from './aws-provider-network.js';
import { LISTENER_QUOTA, NLB_QUOTA, readQuota, VPC_QUOTA } from './aws-quotas.js';
import type { AwsClientPool, RegionClients } from './aws-clients.js';
import { aws, awsOrAbsent } from './aws-errors.js';
import { deleteAllListeners, listenersMatch, syncListeners } from './aws-listeners.js';
import { awsRef, type AwsRef } from './aws-ref.js';
import { loadBalancerName, SERVICE_TAG, serviceClientToken } from './aws-names.js';
import { ensureServiceNotification, hasServiceNotification, removeServiceNotifications, topicRegion } from './aws-notifications.js';

/** Options of the AWS adapter. */
export interface AwsProviderOptions {
  /**
   * The SNS topic every endpoint service (in the topic's region) gets one connection notification
   * to, for all events (docs/aws.md). Undefined: no notifications.
   */
  readonly notificationTopicArn?: string;
  /**
   * Called when a notification could not be made or removed for a reason retrying will not fix
   * (a missing permission, a topic AWS refuses). Notifications only speed reconciling up, so such
   * a failure never fails the service: the periodic resync still notices every change.
   */
  readonly onNotificationFailure?: (serviceId: string, error: ProviderError) => void;
}

/**
 * The AWS adapter: an endpoint service is an internal network load balancer in the provider VPC of
 * the pool account it is placed in (aws-provider-network.ts; without a placement: the configured
 * account's default VPC of the region), its port-per-node listeners and target groups, and a VPC
 * endpoint service on it with acceptance required and open principals (`*`: acceptance of
 * registered endpoints is the authorisation, as Atlas never asks for the customer's account).
 * Registering an interface endpoint is accepting its connection; a connection nobody registered
 * stays pendingAcceptance, and is rejected when its service is deleted.
 *
 * With a notification topic, every endpoint service in the topic's region also has exactly one
 * VPC endpoint connection notification to it (aws-notifications.ts): made with the service,
 * checked by every observe of a ready service (a missing one makes `listenersInSync` false, so
 * the reconciler calls `syncListeners`, which restores it), removed before the service is deleted.
 *
 * Idempotency: the load balancer is found by its name (`pl-<serviceId>`), the endpoint service by
 * its tag and created with the client token `privlink-<serviceId>`, target groups by name; so a
 * crash between a call and the commit of its result is repaired by the next observe.
 */
export class AwsProvider implements CloudProviderAdapter {
  readonly apiName = 'AWS';
  readonly wording: ProviderWording = {
    cloud: 'AWS',
    endpointNoun: 'VPC endpoint',
    howToCreate: (serviceName) => `Create it with aws ec2 create-vpc-endpoint --service-name ${serviceName}.`,
  };
  /** Default subnets of the provider account per region (they do not move; read once per process). */
  private readonly subnets = new Map<string, Promise<string[]>>();

  /** Pool accounts and regions whose provider network is being changed in this process: one change at a time. */
  private readonly networkLocks = new Map<string, Promise<unknown>>();
  /** Subnets of the provider VPCs this process made or found, by account and region (dropped when the network is released). */
  private readonly networks = new Map<string, Map<string, string>>();
  readonly capacity: ProviderCapacityAdapter;

  constructor(
    private readonly pool: AwsClientPool,
    private readonly accounts?: ProviderAccountDirectory,
    private readonly options: AwsProviderOptions = {},
  ) {
    this.capacity = {
      readAccountQuotas: (account, region) => this.readAccountQuotas(account, region),
      releaseProviderNetwork: (account, region) =>
        this.withNetworkLock(account, region, async () => {
          this.networks.delete(`${account.id}|${region}`);
          await deleteProviderNetwork(this.pool.forAccount(account, region), region);
        }),
    };
  }

  /** The account a service is placed in (undefined: the configured account). */
  private async accountOf(spec: EndpointServiceSpec): Promise<ProviderAccountAccess | undefined> {
    return this.accounts ? await this.accounts.accountOfService(spec.id) : undefined;
  }

  /** The SDK clients of the account a service is placed in, in its region. */
  private async clientsFor(spec: EndpointServiceSpec): Promise<RegionClients> {
    return this.pool.forAccount(await this.accountOf(spec), spec.region);
  }

  private async readAccountQuotas(account: ProviderAccountAccess, region: string): Promise<AccountRegionQuotas> {
    const clients = this.pool.forAccount(account, region);
    const [loadBalancers, vpcs, listeners, vpcsInUse, providerVpc] = await Promise.all([
      readQuota(clients, NLB_QUOTA),
      readQuota(clients, VPC_QUOTA),
      readQuota(clients, LISTENER_QUOTA),
      countVpcs(clients),
      findProviderVpc(clients, region),
    ]);
    return { loadBalancers, vpcs, listeners, vpcsInUse, hasProviderNetwork: providerVpc !== undefined };
  }

  /** Runs `work` after every earlier network change of the same account and region in this process. */
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
   * Creates the load balancer in the pool account's provider VPC (made first when missing), under
   * the account region's network lock so a release of the same network never runs in between. A
   * subnet in an availability zone network load balancers do not support is dropped and the call
   * repeated without it.
   */
  private async createPlacedLoadBalancer(account: ProviderAccountAccess, spec: EndpointServiceSpec, clients: RegionClients): Promise<string | undefined> {
    return this.withNetworkLock(account, spec.region, async () => {
      const key = `${account.id}|${spec.region}`;
      let subnets = this.networks.get(key) ?? (await ensureProviderNetwork(clients, spec.region));
      this.networks.set(key, subnets);
      let reread = false;
      for (;;) {
        if (subnets.size === 0)
          throw new ProviderError('invalid', 'NoSupportedSubnets', `The provider VPC of account ${account.name} in ${spec.region} has no subnet a network load balancer supports`);
        try {
          return await this.createLoadBalancer(clients, spec, [...subnets.values()]);
        } catch (error) {
          // The lock is this process's: another replica may have dropped a subnet of an unsupported
          // zone (or released the network) since this one remembered it. Read the network again, once.
          if (!reread && error instanceof ProviderError && /^SubnetNotFound/.test(error.code)) {
            reread = true;
            subnets = await ensureProviderNetwork(clients, spec.region);
            this.networks.set(key, subnets);
            continue;
          }
          const zone = error instanceof ProviderError && /^AvailabilityZoneNotSupported/.test(error.code) ? /Availability Zone '([^']+)'/.exec(error.message)?.[1] : undefined;
          const subnetId = zone ? subnets.get(zone) : undefined;
          if (!zone || !subnetId) throw error;
          await dropProviderSubnet(clients, subnetId);
          subnets.delete(zone);
        }
      }
    });
  }

  private async createLoadBalancer(clients: RegionClients, spec: EndpointServiceSpec, subnets: string[]): Promise<string | undefined> {
    // Same name and settings answers the existing load balancer: a lost commit adopts it.
    const created = await aws(() =>
      clients.elb.send(
        new CreateLoadBalancerCommand({
          Name: loadBalancerName(spec.id),
          Type: 'network',
          Scheme: 'internal',
          Subnets: subnets,
          Tags: [
            { Key: SERVICE_TAG, Value: spec.id },
            { Key: 'privlink:project-id', Value: spec.projectId },
          ],
        }),
      ),
    );
    return created.LoadBalancers?.[0]?.LoadBalancerArn;
  }

  async observeEndpointService(spec: EndpointServiceSpec, ref: ProviderRef, likelyReady = false): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }> {
    const clients = await this.clientsFor(spec);
    const known = awsRef(ref);
    const topic = this.notificationTopic(spec);
    // Independent reads: asked at once, so an observation costs the slowest of them, not their sum.
    // A service likely ready whose ref names its load balancer and its service, opened to
    // customers, has the reads only a ready service needs asked with them: one round of reads
    // instead of two. They are used only if that load balancer and service are the ones found,
    // ready; a failed one is asked again below. (Not while a service provisions or is deleted:
    // those passes repeat, and each would waste a read.)
    const ahead =
      likelyReady && known.loadBalancerArn && known.serviceId && known.principalsOpen
        ? readinessReads(clients, spec, known.loadBalancerArn, known.serviceId, topic).catch(() => undefined)
        : undefined;
    const [lb, service, early] = await Promise.all([findLoadBalancer(clients, spec.id), findServiceConfiguration(clients, spec.id, known.serviceId), ahead]);
    const live = service && service.ServiceState !== 'Deleted' ? service : undefined;
    let next: AwsRef = {
      ...(lb?.LoadBalancerArn ? { loadBalancerArn: lb.LoadBalancerArn } : {}),
      ...(live?.ServiceId ? { serviceId: live.ServiceId, serviceName: live.ServiceName } : {}),
      ...(live?.ServiceId && live.ServiceId === known.serviceId && known.principalsOpen ? { principalsOpen: true } : {}),
    };
    const state = service?.ServiceState;
    if (!lb && !live) return { observed: { state: 'absent' }, ref: next };
    if (state === 'Failed') return { observed: { state: 'failed', message: `AWS reports the VPC endpoint service ${service!.ServiceId} as Failed.` }, ref: next };
    if (state === 'Deleting' || state === 'Deleted') return { observed: { state: 'deleting' }, ref: next };
    if (live && state === 'Available' && lb?.State?.Code === 'active') {
      // The ref does not record that the service was opened to customers (its permissions call
      // failed, or the process died before committing it): ask. A customer cannot see a service
      // without allowed principals, so until then it is not ready, and the create pass finishes
      // that part (making nothing again: the ref names the load balancer and the service).
      if (!next.principalsOpen) {
        if (!(await allowsEveryone(clients, live.ServiceId!))) return { observed: { state: 'provisioning' }, ref: next };
        next = { ...next, principalsOpen: true };
      }
      const asked = lb.LoadBalancerArn === known.loadBalancerArn && live.ServiceId === known.serviceId ? early : undefined;
      const listenersInSync = asked ?? (await readinessReads(clients, spec, lb.LoadBalancerArn!, live.ServiceId!, topic));
      return { observed: { state: 'ready', serviceName: live.ServiceName!, availabilityZones: live.AvailabilityZones ?? [], listenersInSync }, ref: next };
    }
    if (lb?.State?.Code === 'failed') {
      return { observed: { state: 'failed', message: `AWS failed to provision network load balancer ${lb.LoadBalancerName}: ${lb.State.Reason ?? 'no reason given'}` }, ref: next };
    }
    return { observed: { state: 'provisioning' }, ref: next };
  }

  async createEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<CreatedEndpointService> {
    // The answers of its calls leave the listeners and the service's state to a look after.
    return { ref: await this.make(spec, ref) };
  }

  private async make(spec: EndpointServiceSpec, ref: ProviderRef): Promise<ProviderRef> {
    const account = await this.accountOf(spec);
    const clients = this.pool.forAccount(account, spec.region);
    const known = awsRef(ref);
    let loadBalancerArn = known.loadBalancerArn;
    if (!loadBalancerArn) {
      loadBalancerArn = account
        ? await this.createPlacedLoadBalancer(account, spec, clients)
        : await this.createLoadBalancer(clients, spec, await this.providerSubnets(spec.region, clients));
      if (!loadBalancerArn) throw new ProviderError('transient', 'LoadBalancerMissing', `Load balancer ${loadBalancerName(spec.id)} was not returned`);
    }
    let serviceId = known.serviceId;
    let serviceName = known.serviceName;
    if (!serviceId) {
      // The client token makes a repeated create (after a lost commit) answer the same service.
      const created = await aws(() =>
        clients.ec2.send(
          new CreateVpcEndpointServiceConfigurationCommand({
            NetworkLoadBalancerArns: [loadBalancerArn],
            AcceptanceRequired: true,
            ClientToken: serviceClientToken(spec.id),
            TagSpecifications: [
              {
                ResourceType: 'vpc-endpoint-service',
                Tags: [
                  { Key: SERVICE_TAG, Value: spec.id },
                  { Key: 'privlink:project-id', Value: spec.projectId },
                ],
              },
            ],
          }),
        ),
      );
      serviceId = created.ServiceConfiguration?.ServiceId;
      serviceName = created.ServiceConfiguration?.ServiceName;
      if (!serviceId) throw new ProviderError('transient', 'ServiceMissing', 'The endpoint service was not returned');
    }
    if (!known.principalsOpen || known.serviceId !== serviceId) {
      // Adding a principal that is already allowed is not an error: no read before.
      await aws(() => clients.ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: ['*'] })));
    }
    await this.ensureNotification(spec, clients, serviceId);
    const next: AwsRef = { loadBalancerArn, serviceId, ...(serviceName ? { serviceName } : {}), principalsOpen: true };
    return next;
  }

  async syncListeners(spec: EndpointServiceSpec): Promise<void> {
    const clients = await this.clientsFor(spec);
    const topic = this.notificationTopic(spec);
    // The service is looked up only for its notification, when there is a topic to notify.
    const [lb, service] = await Promise.all([findLoadBalancer(clients, spec.id), topic ? findServiceConfiguration(clients, spec.id, undefined) : undefined]);
    if (lb?.State?.Code === 'active') await syncListeners(clients, spec, lb);
    if (service?.ServiceId) await this.ensureNotification(spec, clients, service.ServiceId);
  }

  /** The notification topic for a service of `spec`'s region (AWS publishes to a topic of the service's region). */
  private notificationTopic(spec: EndpointServiceSpec): string | undefined {
    const topic = this.options.notificationTopicArn;
    return topic && topicRegion(topic) === spec.region ? topic : undefined;
  }

  /** Best effort (see AwsProviderOptions.onNotificationFailure): retryable failures are thrown, the others reported. */
  private async ensureNotification(spec: EndpointServiceSpec, clients: RegionClients, serviceId: string): Promise<void> {
    const topic = this.notificationTopic(spec);
    if (!topic) return;
    await this.bestEffort(serviceId, () => ensureServiceNotification(clients, serviceId, topic));
  }

  private async bestEffort(serviceId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable) throw error;
      this.options.onNotificationFailure?.(serviceId, error);
    }
  }

  /** One subnet per availability zone of the provider account's default VPC (an NLB takes one per AZ). */
  private providerSubnets(region: string, clients: RegionClients): Promise<string[]> {
    let subnets = this.subnets.get(region);
    if (!subnets) {
      subnets = defaultSubnets(clients);
      this.subnets.set(region, subnets);
      subnets.catch(() => this.subnets.delete(region));
    }
    return subnets;
  }

  async deleteEndpointService(spec: EndpointServiceSpec, ref: ProviderRef): Promise<void> {
    const clients = await this.clientsFor(spec);
    const service = await findServiceConfiguration(clients, spec.id, awsRef(ref).serviceId);
    if (service?.ServiceId && service.ServiceState !== 'Deleted' && service.ServiceState !== 'Deleting') {
      const live = (await connectionsOf(clients, service.ServiceId)).filter((c) => ['pendingAcceptance', 'pending', 'available'].includes(c.VpcEndpointState ?? ''));
      if (live.length > 0) {
        await aws(() => clients.ec2.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: service.ServiceId, VpcEndpointIds: live.map((c) => c.VpcEndpointId!) })));
      }
      const topic = this.notificationTopic(spec);
      if (topic) await this.bestEffort(service.ServiceId, () => removeServiceNotifications(clients, service.ServiceId!, topic));
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

  async observeConnection(spec: EndpointServiceSpec, ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<ObservedConnection> {
    const clients = await this.clientsFor(spec);
    const serviceId = awsRef(ref).serviceId ?? (await findServiceConfiguration(clients, spec.id, undefined))?.ServiceId;
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

  /** AcceptVpcEndpointConnections answers only the connections it could not accept: the endpoint's state takes another look. */
  async acceptConnection(spec: EndpointServiceSpec, ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<undefined> {
    await this.decide(spec, ref, endpointId, 'accept');
    return undefined;
  }

  async rejectConnection(spec: EndpointServiceSpec, ref: ProviderRef, { endpointId }: RegisteredEndpoint): Promise<void> {
    await this.decide(spec, ref, endpointId, 'reject');
  }

  private async decide(spec: EndpointServiceSpec, ref: ProviderRef, endpointId: string, verdict: 'accept' | 'reject'): Promise<void> {
    const clients = await this.clientsFor(spec);
    const serviceId = awsRef(ref).serviceId ?? (await findServiceConfiguration(clients, spec.id, undefined))?.ServiceId;
    if (!serviceId) throw new ProviderError('transient', 'ServiceNotReady', 'The endpoint service does not exist yet');
    const input = { ServiceId: serviceId, VpcEndpointIds: [endpointId] };
    const result = await aws(() => clients.ec2.send(verdict === 'accept' ? new AcceptVpcEndpointConnectionsCommand(input) : new RejectVpcEndpointConnectionsCommand(input)));
    const failure = result.Unsuccessful?.[0]?.Error;
    if (!failure) return;
    // Accepting an accepted connection (or rejecting a gone one) is fine: check what it is now.
    const now = await this.observeConnection(spec, ref, { endpointId, detail: { cloud: 'AWS' } });
    const settled = verdict === 'accept' ? ['pending', 'available'] : ['rejected', 'deleted', 'absent', 'failed', 'expired'];
    if (settled.includes(now.state)) return;
    throw new ProviderError('invalid', failure.Code ?? 'Unsuccessful', failure.Message ?? `AWS did not ${verdict} the connection`);
  }
}

/**
 * Whether a ready service's load balancer listens as `spec` says and the service notifies its
 * topic (when one is set): the reads asked of a service found ready.
 */
async function readinessReads(clients: RegionClients, spec: EndpointServiceSpec, loadBalancerArn: string, serviceId: string, topic: string | undefined): Promise<boolean> {
  const [listenersMatching, notified] = await Promise.all([listenersMatch(clients, spec, loadBalancerArn), topic ? hasServiceNotification(clients, serviceId, topic) : true]);
  return listenersMatching && notified;
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
  const byTag = await aws(() => clients.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: `tag:${SERVICE_TAG}`, Values: [serviceId] }] })));
  const configurations = byTag.ServiceConfigurations ?? [];
  return configurations.find((c) => c.ServiceState !== 'Deleted') ?? configurations[0];
}

async function defaultSubnets(clients: RegionClients): Promise<string[]> {
  const subnets = await aws(() => clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] })));
  const byZone = new Map<string, string>();
  for (const subnet of subnets.Subnets ?? []) {
    if (subnet.AvailabilityZone && subnet.SubnetId && !byZone.has(subnet.AvailabilityZone)) byZone.set(subnet.AvailabilityZone, subnet.SubnetId);
  }
  if (byZone.size === 0) throw new ProviderError('invalid', 'NoDefaultSubnets', 'The provider account has no default VPC subnets in this region');
  return [...byZone.values()];
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

/** Whether the endpoint service allows every principal (`*`), as privlink opens it for customers. */
async function allowsEveryone(clients: RegionClients, serviceId: string): Promise<boolean> {
  const permissions = await aws(() => clients.ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId })));
  return (permissions.AllowedPrincipals ?? []).some((p) => p.Principal === '*');
}
