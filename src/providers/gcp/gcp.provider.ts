import type { protos } from '@google-cloud/compute';
import type { ObservedEndpointService } from '../../domain/endpoint-service.js';
import type { ObservedConnection, ProviderWording } from '../../domain/interface-endpoint.js';
import { ProviderError, type CloudProviderAdapter, type EndpointServiceSpec, type ListenerSpec, type ProviderRef } from '../cloud-provider.js';
import type { GcpClients } from './gcp-clients.js';
import { classifyGcpError, gcp, gcpOrAbsent } from './gcp-errors.js';
import { CONNECTION_LIMIT, gcpNames, NAT_SUBNET_RANGE, SUBNET_RANGE, zoneOf } from './gcp-names.js';

type Operation = protos.google.cloud.compute.v1.IOperation;
type ServiceAttachment = protos.google.cloud.compute.v1.IServiceAttachment;

/**
 * The GCP adapter (Private Service Connect, port-mapped) on the official `@google-cloud/compute`
 * REST clients. Per endpoint service, in the producer project: a network with a subnet and a PSC
 * NAT subnet (`purpose: PRIVATE_SERVICE_CONNECT`), a regional INTERNAL backend service whose
 * backends are one hybrid network endpoint group per listener port (`<name>-p<port>`, its
 * endpoints the listener's targets), one internal forwarding rule on all ports in front of it,
 * and one service attachment on that rule (`ACCEPT_MANUAL`, empty accept list): a service
 * attachment fronts exactly one forwarding rule, so the listeners share one rule.
 *
 * Every step is non-blocking: a write starts Compute's operation, which is given up to SETTLE_MS;
 * a slow one is left running and the next pass sees whether its resource exists. Names derive
 * from the service id, so a lost commit is found again by name, never made twice.
 *
 * Connections: a customer endpoint is a PSC forwarding rule in the customer's project, known by its
 * path `projects/<project>/regions/<region>/forwardingRules/<name>`. GCP accepts and rejects per
 * consumer project (the attachment's accept and reject lists), so accepting one endpoint accepts
 * the project's other pending endpoints to the same service, and rejecting one rejects them all.
 */
export class GcpProvider implements CloudProviderAdapter {
  readonly apiName = 'GCP';
  readonly wording: ProviderWording = {
    cloud: 'GCP',
    endpointNoun: 'Private Service Connect endpoint',
    howToCreate: (serviceName) =>
      `Reserve an internal IP address in your VPC subnet and create a forwarding rule targeting the service attachment ${serviceName} (gcloud compute forwarding-rules create --target-service-attachment).`,
  };

  constructor(private readonly clients: GcpClients) {}

  private get project(): string {
    return this.clients.connection.projectId;
  }

  private attachmentPath(spec: EndpointServiceSpec): string {
    return `projects/${this.project}/regions/${spec.region}/serviceAttachments/${gcpNames(spec.id).serviceAttachment}`;
  }

  private getAttachment(spec: EndpointServiceSpec): Promise<ServiceAttachment | undefined> {
    return gcpOrAbsent(
      async () => (await this.clients.serviceAttachments.get({ project: this.project, region: spec.region, serviceAttachment: gcpNames(spec.id).serviceAttachment }))[0],
    );
  }

  async observeEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }> {
    const names = gcpNames(spec.id);
    const attachment = await this.getAttachment(spec);
    if (!attachment) {
      const network = await gcpOrAbsent(async () => (await this.clients.networks.get({ project: this.project, network: names.network }))[0]);
      if (!network) return { observed: { state: 'absent' }, ref: {} };
      return { observed: { state: 'provisioning' }, ref: { network: names.network } };
    }
    const path = this.attachmentPath(spec);
    return {
      observed: {
        state: 'ready',
        serviceName: attachment.name ?? names.serviceAttachment,
        availabilityZones: [],
        listenersInSync: await this.listenersInSync(spec, attachment),
        detail: { cloud: 'GCP', serviceAttachmentNames: [path], portMappingEnabled: true },
      },
      ref: { network: names.network, serviceAttachment: path },
    };
  }

  /**
   * Takes the next steps of: network → subnet and NAT subnet → backend service → forwarding rule →
   * service attachment. A step whose operation does not settle ends the pass.
   */
  async createEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<ProviderRef> {
    const names = gcpNames(spec.id);
    const project = this.project;
    const region = spec.region;
    const c = this.clients;
    const ref = { network: names.network };
    const network = `projects/${project}/global/networks/${names.network}`;
    const subnet = `projects/${project}/regions/${region}/subnetworks/${names.subnet}`;
    const steps: Array<[() => Promise<unknown>, () => Promise<unknown>]> = [
      [
        () => c.networks.get({ project, network: names.network }),
        () => c.networks.insert({ project, networkResource: { name: names.network, autoCreateSubnetworks: false, description: `privlink endpoint service ${spec.id}` } }),
      ],
      [
        () => c.subnetworks.get({ project, region, subnetwork: names.subnet }),
        () => c.subnetworks.insert({ project, region, subnetworkResource: { name: names.subnet, network, ipCidrRange: SUBNET_RANGE } }),
      ],
      [
        () => c.subnetworks.get({ project, region, subnetwork: names.natSubnet }),
        () =>
          c.subnetworks.insert({
            project,
            region,
            subnetworkResource: { name: names.natSubnet, network, ipCidrRange: NAT_SUBNET_RANGE, purpose: 'PRIVATE_SERVICE_CONNECT' },
          }),
      ],
      [
        () => c.backendServices.get({ project, region, backendService: names.backendService }),
        () =>
          c.backendServices.insert({
            project,
            region,
            backendServiceResource: { name: names.backendService, loadBalancingScheme: 'INTERNAL', protocol: 'TCP', backends: [] },
          }),
      ],
      [
        () => c.forwardingRules.get({ project, region, forwardingRule: names.forwardingRule }),
        () =>
          c.forwardingRules.insert({
            project,
            region,
            forwardingRuleResource: {
              name: names.forwardingRule,
              loadBalancingScheme: 'INTERNAL',
              backendService: `projects/${project}/regions/${region}/backendServices/${names.backendService}`,
              subnetwork: subnet,
              allPorts: true,
            },
          }),
      ],
      [
        () => c.serviceAttachments.get({ project, region, serviceAttachment: names.serviceAttachment }),
        () =>
          c.serviceAttachments.insert({
            project,
            region,
            serviceAttachmentResource: {
              name: names.serviceAttachment,
              description: `privlink endpoint service ${spec.id}`,
              targetService: `projects/${project}/regions/${region}/forwardingRules/${names.forwardingRule}`,
              connectionPreference: 'ACCEPT_MANUAL',
              natSubnets: [`projects/${project}/regions/${region}/subnetworks/${names.natSubnet}`],
              consumerAcceptLists: [],
              enableProxyProtocol: wantsProxyProtocol(spec.listeners),
            },
          }),
      ],
    ];
    for (const [find, insert] of steps) {
      if (await gcpOrAbsent(find)) continue;
      if (!(await this.settles(insert))) return ref;
    }
    return ref;
  }

  /**
   * Brings the endpoint groups, the backend service's backends and the attachment's PROXY flag to
   * the listeners: creates missing groups, re-targets changed ones, patches the backends, then
   * deletes groups of ports no longer wanted.
   */
  async syncListeners(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const names = gcpNames(spec.id);
    const project = this.project;
    const region = spec.region;
    const zone = zoneOf(region);
    const c = this.clients;
    for (const listener of spec.listeners) {
      const name = names.neg(listener.port);
      const group = await gcpOrAbsent(async () => (await c.negs.get({ project, zone, networkEndpointGroup: name }))[0]);
      if (!group) {
        const made = await this.settles(() =>
          c.negs.insert({
            project,
            zone,
            networkEndpointGroupResource: {
              name,
              networkEndpointType: 'NON_GCP_PRIVATE_IP_PORT',
              network: `projects/${project}/global/networks/${names.network}`,
              defaultPort: listener.targets[0]?.port ?? listener.port,
            },
          }),
        );
        if (!made) return;
      }
      const have = group ? await this.endpoints(spec, name) : [];
      const want = listener.targets.map((t) => ({ ipAddress: t.host, port: t.port }));
      const key = (e: { ipAddress?: string | null; port?: number | null }) => `${e.ipAddress}:${e.port}`;
      const wantKeys = new Set(want.map(key));
      const haveKeys = new Set(have.map(key));
      const extra = have.filter((e) => !wantKeys.has(key(e)));
      const missing = want.filter((e) => !haveKeys.has(key(e)));
      if (extra.length > 0) {
        const done = await this.settles(() =>
          c.negs.detachNetworkEndpoints({ project, zone, networkEndpointGroup: name, networkEndpointGroupsDetachEndpointsRequestResource: { networkEndpoints: extra } }),
        );
        if (!done) return;
      }
      if (missing.length > 0) {
        const done = await this.settles(() =>
          c.negs.attachNetworkEndpoints({ project, zone, networkEndpointGroup: name, networkEndpointGroupsAttachEndpointsRequestResource: { networkEndpoints: missing } }),
        );
        if (!done) return;
      }
    }

    const [backend] = await gcp(() => c.backendServices.get({ project, region, backendService: names.backendService }));
    const wantGroups = spec.listeners.map((l) => negPath(project, zone, names.neg(l.port)));
    if (!sameSet(groupsOf(backend), wantGroups)) {
      const done = await this.settles(() =>
        c.backendServices.patch({
          project,
          region,
          backendService: names.backendService,
          backendServiceResource: { fingerprint: backend.fingerprint, backends: wantGroups.map((group) => ({ group })) },
        }),
      );
      if (!done) return;
    }

    const wanted = new Set(spec.listeners.map((l) => names.neg(l.port)));
    for (const group of await this.ownGroups(spec)) {
      if (group.name && !wanted.has(group.name)) {
        if (!(await this.settles(() => c.negs.delete({ project, zone, networkEndpointGroup: group.name! })))) return;
      }
    }

    const attachment = await this.getAttachment(spec);
    if (attachment && Boolean(attachment.enableProxyProtocol) !== wantsProxyProtocol(spec.listeners)) {
      await this.settles(() =>
        c.serviceAttachments.patch({
          project,
          region,
          serviceAttachment: names.serviceAttachment,
          serviceAttachmentResource: { fingerprint: attachment.fingerprint, enableProxyProtocol: wantsProxyProtocol(spec.listeners) },
        }),
      );
    }
  }

  /**
   * Deletes in the reverse order of creation: the service attachment (Compute closes its
   * connections), the forwarding rule, the backend service, the endpoint groups, the subnets and
   * the network. A step whose operation does not settle (or that is already being deleted) ends
   * the pass; absence of the network is the confirmation.
   */
  async deleteEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const names = gcpNames(spec.id);
    const project = this.project;
    const region = spec.region;
    const zone = zoneOf(region);
    const c = this.clients;
    const steps: Array<[() => Promise<unknown>, () => Promise<unknown>]> = [
      [
        () => c.serviceAttachments.get({ project, region, serviceAttachment: names.serviceAttachment }),
        () => c.serviceAttachments.delete({ project, region, serviceAttachment: names.serviceAttachment }),
      ],
      [
        () => c.forwardingRules.get({ project, region, forwardingRule: names.forwardingRule }),
        () => c.forwardingRules.delete({ project, region, forwardingRule: names.forwardingRule }),
      ],
      [
        () => c.backendServices.get({ project, region, backendService: names.backendService }),
        () => c.backendServices.delete({ project, region, backendService: names.backendService }),
      ],
    ];
    for (const group of await this.ownGroups(spec)) {
      steps.push([async () => group, () => c.negs.delete({ project, zone, networkEndpointGroup: group.name! })]);
    }
    steps.push(
      [() => c.subnetworks.get({ project, region, subnetwork: names.natSubnet }), () => c.subnetworks.delete({ project, region, subnetwork: names.natSubnet })],
      [() => c.subnetworks.get({ project, region, subnetwork: names.subnet }), () => c.subnetworks.delete({ project, region, subnetwork: names.subnet })],
      [() => c.networks.get({ project, network: names.network }), () => c.networks.delete({ project, network: names.network })],
    );
    for (const [find, remove] of steps) {
      if (!(await gcpOrAbsent(find))) continue;
      try {
        if (!(await this.settles(remove))) return;
      } catch (error) {
        if (error instanceof ProviderError && error.code === 'resourceNotReady') return;
        if (error instanceof ProviderError && error.code === 'notFound') continue;
        throw error;
      }
    }
  }

  async observeConnection(spec: EndpointServiceSpec, _ref: ProviderRef, endpointId: string): Promise<ObservedConnection> {
    const attachment = await this.getAttachment(spec);
    if (!attachment) return { state: 'serviceNotReady' };
    const endpoint = findEndpoint(attachment, endpointId);
    if (!endpoint) return { state: 'absent' };
    const name = { connectionName: String(endpoint.pscConnectionId ?? endpointId) };
    switch (endpoint.status) {
      case 'ACCEPTED':
        return { state: 'available', ...name };
      case 'REJECTED':
        return { state: 'rejected', ...name };
      case 'CLOSED':
        return { state: 'deleted', ...name };
      default:
        return { state: 'pendingAcceptance', ...name };
    }
  }

  /** Adds the endpoint's consumer project to the attachment's accept list (Compute accepts per project). */
  async acceptConnection(spec: EndpointServiceSpec, _ref: ProviderRef, endpointId: string): Promise<void> {
    const attachment = await this.getAttachment(spec);
    if (!attachment) return;
    const endpoint = findEndpoint(attachment, endpointId);
    if (!endpoint || endpoint.status !== 'PENDING') return;
    const consumer = consumerProject(endpointId);
    const accepts = attachment.consumerAcceptLists ?? [];
    if (accepts.some((a) => a.projectIdOrNum === consumer)) return;
    await this.patchLists(spec, attachment, {
      consumerAcceptLists: [
        ...accepts.map((a) => ({ projectIdOrNum: a.projectIdOrNum, networkUrl: a.networkUrl, connectionLimit: a.connectionLimit })),
        { projectIdOrNum: consumer, connectionLimit: CONNECTION_LIMIT },
      ],
    });
  }

  /**
   * Moves the endpoint's consumer project from the accept list to the reject list, with
   * `reconcileConnections` so accepted endpoints of that project are rejected too.
   */
  async rejectConnection(spec: EndpointServiceSpec, _ref: ProviderRef, endpointId: string): Promise<void> {
    const attachment = await this.getAttachment(spec);
    if (!attachment) return;
    const endpoint = findEndpoint(attachment, endpointId);
    if (!endpoint || endpoint.status === 'REJECTED' || endpoint.status === 'CLOSED') return;
    const consumer = consumerProject(endpointId);
    const rejects = attachment.consumerRejectLists ?? [];
    await this.patchLists(spec, attachment, {
      consumerAcceptLists: (attachment.consumerAcceptLists ?? [])
        .filter((a) => a.projectIdOrNum !== consumer)
        .map((a) => ({ projectIdOrNum: a.projectIdOrNum, networkUrl: a.networkUrl, connectionLimit: a.connectionLimit })),
      consumerRejectLists: rejects.includes(consumer) ? rejects : [...rejects, consumer],
      reconcileConnections: true,
    });
  }

  private async patchLists(spec: EndpointServiceSpec, attachment: ServiceAttachment, change: ServiceAttachment): Promise<void> {
    await this.settles(() =>
      this.clients.serviceAttachments.patch({
        project: this.project,
        region: spec.region,
        serviceAttachment: gcpNames(spec.id).serviceAttachment,
        serviceAttachmentResource: { fingerprint: attachment.fingerprint, ...change },
      }),
    );
  }

  /** Whether the groups behind the backend service are the listeners' and the PROXY flag is theirs. */
  private async listenersInSync(spec: EndpointServiceSpec, attachment: ServiceAttachment): Promise<boolean> {
    if (Boolean(attachment.enableProxyProtocol) !== wantsProxyProtocol(spec.listeners)) return false;
    const names = gcpNames(spec.id);
    const zone = zoneOf(spec.region);
    const backend = await gcpOrAbsent(
      async () => (await this.clients.backendServices.get({ project: this.project, region: spec.region, backendService: names.backendService }))[0],
    );
    if (!backend) return false;
    if (
      !sameSet(
        groupsOf(backend),
        spec.listeners.map((l) => negPath(this.project, zone, names.neg(l.port))),
      )
    )
      return false;
    for (const listener of spec.listeners) {
      const have = (await this.endpoints(spec, names.neg(listener.port))).map((e) => `${e.ipAddress}:${e.port}`);
      if (
        !sameSet(
          have,
          listener.targets.map((t) => `${t.host}:${t.port}`),
        )
      )
        return false;
    }
    return true;
  }

  /** The endpoints of one of the service's groups (empty when the group is gone). */
  private async endpoints(spec: EndpointServiceSpec, group: string): Promise<Array<{ ipAddress: string; port: number }>> {
    const items = await gcpOrAbsent(
      async () =>
        (
          await this.clients.negs.listNetworkEndpoints(
            { project: this.project, zone: zoneOf(spec.region), networkEndpointGroup: group, networkEndpointGroupsListEndpointsRequestResource: {} },
            { autoPaginate: true },
          )
        )[0],
    );
    return (items ?? []).map((item) => ({ ipAddress: item.networkEndpoint?.ipAddress ?? '', port: Number(item.networkEndpoint?.port ?? 0) }));
  }

  /** The service's endpoint groups (named `<name>-p<port>`) in the region's zone. */
  private async ownGroups(spec: EndpointServiceSpec): Promise<protos.google.cloud.compute.v1.INetworkEndpointGroup[]> {
    const prefix = gcpNames(spec.id).negPrefix;
    const [groups] = await gcp(() => this.clients.negs.list({ project: this.project, zone: zoneOf(spec.region), filter: `name eq ${prefix}[0-9]+` }, { autoPaginate: true }));
    return groups.filter((g) => g.name?.startsWith(prefix));
  }

  /**
   * Starts a Compute write and gives its operation up to SETTLE_MS to finish, so a quick step lets
   * the same pass go on; a slow one is left running. True when it finished. A DONE operation with
   * an `error` (which the client returns, not throws) is thrown classified.
   */
  private async settles(start: () => Promise<unknown>): Promise<boolean> {
    const [lro] = (await gcp(start)) as [{ latestResponse: Operation }];
    let op = lro.latestResponse;
    const deadline = Date.now() + SETTLE_MS;
    while (op.status !== 'DONE') {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      op = await this.getOperation(op);
    }
    const first = op.error?.errors?.[0];
    if (first) throw classifyGcpError({ code: Number(op.httpErrorStatusCode ?? 400), errors: [{ reason: first.code ?? undefined }], message: first.message ?? 'operation failed' });
    return true;
  }

  private async getOperation(op: Operation): Promise<Operation> {
    const project = this.project;
    const operation = op.name!;
    const last = (link: string) => link.split('/').pop()!;
    if (op.region) return (await gcp(() => this.clients.regionOperations.get({ project, region: last(op.region!), operation })))[0];
    if (op.zone) return (await gcp(() => this.clients.zoneOperations.get({ project, zone: last(op.zone!), operation })))[0];
    return (await gcp(() => this.clients.globalOperations.get({ project, operation })))[0];
  }
}

/** How often a started operation is polled while a pass waits for it. */
const POLL_MS = 25;
/** How long one pass waits for a started operation before leaving it to the next pass. */
const SETTLE_MS = 1_500;

/** A service attachment has one PROXY flag: on when any listener's targets want it. */
function wantsProxyProtocol(listeners: readonly ListenerSpec[]): boolean {
  return listeners.some((l) => l.proxyProtocol);
}

function negPath(project: string, zone: string, name: string): string {
  return `projects/${project}/zones/${zone}/networkEndpointGroups/${name}`;
}

/** A Compute link (full URL or path) from its `projects/…` part. */
function fromProjects(link: string): string {
  const at = link.indexOf('projects/');
  return at >= 0 ? link.slice(at) : link;
}

function groupsOf(backend: protos.google.cloud.compute.v1.IBackendService): string[] {
  return (backend.backends ?? []).map((b) => fromProjects(b.group ?? ''));
}

function sameSet(have: readonly string[], want: readonly string[]): boolean {
  const a = [...new Set(have)].sort();
  const b = [...new Set(want)].sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The attachment's connected endpoint that is the PSC forwarding rule `endpointId` (a `projects/…` path). */
function findEndpoint(attachment: ServiceAttachment, endpointId: string) {
  const wanted = fromProjects(endpointId);
  return (attachment.connectedEndpoints ?? []).find((e) => e.endpoint && fromProjects(e.endpoint) === wanted);
}

/** The consumer project of a PSC forwarding rule path `projects/<project>/regions/…`. */
function consumerProject(endpointId: string): string {
  return fromProjects(endpointId).split('/')[1] ?? '';
}
