import type { protos } from '@google-cloud/compute';
import type { ObservedEndpointService } from '../../domain/endpoint-service.js';
import { legacyPlacement } from '../../domain/gcp-legacy-layout.js';
import type { ConnectionStatus, ObservedConnection, ProviderWording } from '../../domain/interface-endpoint.js';
import {
  ProviderError,
  type AccountRegionQuotas,
  type CloudProviderAdapter,
  type CreatedEndpointService,
  type EndpointServiceSpec,
  type ListenerSpec,
  type ProviderAccountAccess,
  type ProviderAccountDirectory,
  type ProviderCapacityAdapter,
  type ProviderRef,
  type RegisteredEndpoint,
} from '../cloud-provider.js';
import { GcpClientPool, GcpClients } from './gcp-clients.js';
import { gcp, gcpOrAbsent } from './gcp-errors.js';
import { CONNECTION_LIMIT, gcpNames, NAT_SUBNET_RANGE, SUBNET_RANGE, type GcpUnit } from './gcp-names.js';
import { settles } from './gcp-operations.js';
import { deleteProviderNetwork, ensureProviderNetwork, hasProviderNetwork, type GcpProviderNetwork } from './gcp-provider-network.js';
import { readGcpQuotas } from './gcp-quotas.js';
type ServiceAttachment = protos.google.cloud.compute.v1.IServiceAttachment;

/** The project a service's resources live in, and the clients of that project. */
interface Where {
  readonly clients: GcpClients;
  readonly project: string;
  /** The pool project the service is placed in; undefined: the configured producer project. */
  readonly account: ProviderAccountAccess | undefined;
}

/**
 * The GCP adapter (Private Service Connect) on the official `@google-cloud/compute` REST clients.
 * Per endpoint service, in the project it is placed in (a pool project, else the configured
 * producer project): a network with a subnet and a PSC NAT subnet (`purpose:
 * PRIVATE_SERVICE_CONNECT`) of its own — or, placed in a pool project, that project's provider
 * network and the region's two subnets (gcp-provider-network.ts) — and per service attachment (one for a port-mapped service,
 * Atlas's legacy set of six otherwise, see gcp-names.ts) a regional port-mapping network endpoint
 * group (`GCE_VM_IP_PORTMAP`: client port → target), an INTERNAL backend service on it, an
 * internal forwarding rule on all ports in front of that, and the attachment on the rule
 * (`ACCEPT_MANUAL`, empty accept list). Port-mapped: a target's client port is its load-balancer
 * port; legacy: the target sits on the attachment and port domain/gcp-legacy-layout.ts places it on.
 *
 * Every step is non-blocking: a write starts Compute's operation, which is given up to SETTLE_MS;
 * a slow one is left running and the next pass sees whether its resource exists. Names derive
 * from the service, so a lost commit is found again by name, never made twice.
 *
 * Connections: a registered endpoint is an endpoint group — the customer's project and its PSC
 * forwarding rules (`projects/<project>/regions/<region>/forwardingRules/<name>`), one per
 * attachment, rule i on attachment i. GCP accepts and rejects per consumer project (the
 * attachments' accept and reject lists), so accepting a group accepts the project's other pending
 * endpoints to the same attachments, and rejecting one rejects them all.
 */
export class GcpProvider implements CloudProviderAdapter {
  readonly apiName = 'GCP';
  readonly wording: ProviderWording = {
    cloud: 'GCP',
    endpointNoun: 'Private Service Connect endpoint',
    howToCreate: (serviceName) =>
      `Reserve an internal IP address in your VPC subnet and create a forwarding rule targeting the service attachment ${serviceName} (gcloud compute forwarding-rules create --target-service-attachment), one per service attachment of the endpoint service.`,
  };

  private readonly pool: GcpClientPool;
  readonly capacity: ProviderCapacityAdapter;
  /** Pool projects whose provider network is being changed in this process: one change at a time (the network is the project's, across regions). */
  private readonly networkLocks = new Map<string, Promise<unknown>>();

  constructor(
    clients: GcpClients | GcpClientPool,
    private readonly accounts?: ProviderAccountDirectory,
  ) {
    this.pool = clients instanceof GcpClientPool ? clients : new GcpClientPool(clients);
    this.capacity = {
      readAccountQuotas: (account, region) => this.readAccountQuotas(account, region),
      releaseProviderNetwork: (account, region) => this.withNetworkLock(account, () => deleteProviderNetwork(this.pool.forAccount(account), region)),
    };
  }

  /** The project a service lives in: its pool project when placed, else the configured one. */
  private async where(spec: EndpointServiceSpec): Promise<Where> {
    const account = this.accounts ? await this.accounts.accountOfService(spec.id) : undefined;
    const clients = this.pool.forAccount(account);
    return { clients, project: clients.connection.projectId, account };
  }

  private async readAccountQuotas(account: ProviderAccountAccess, region: string): Promise<AccountRegionQuotas> {
    const clients = this.pool.forAccount(account);
    const [quotas, has] = await Promise.all([readGcpQuotas(clients, region), hasProviderNetwork(clients)]);
    return { ...quotas, hasProviderNetwork: has };
  }

  /** Runs `work` after every earlier network change of the same pool project in this process. */
  private async withNetworkLock<T>(account: ProviderAccountAccess, work: () => Promise<T>): Promise<T> {
    const before = this.networkLocks.get(account.id) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(work);
    this.networkLocks.set(account.id, run);
    try {
      return await run;
    } finally {
      if (this.networkLocks.get(account.id) === run) this.networkLocks.delete(account.id);
    }
  }

  private attachmentPath(w: Where, spec: EndpointServiceSpec, unit: GcpUnit): string {
    return `projects/${w.project}/regions/${spec.region}/serviceAttachments/${unit.serviceAttachment}`;
  }

  private negPath(w: Where, spec: EndpointServiceSpec, unit: GcpUnit): string {
    return `projects/${w.project}/regions/${spec.region}/networkEndpointGroups/${unit.neg}`;
  }

  /** The service's attachments, in unit order (undefined where one does not exist). */
  private attachments(w: Where, spec: EndpointServiceSpec): Promise<Array<ServiceAttachment | undefined>> {
    return Promise.all(
      gcpNames(spec).units.map((unit) =>
        gcpOrAbsent(
          async () => (await (await w.clients.compute()).serviceAttachments.get({ project: w.project, region: spec.region, serviceAttachment: unit.serviceAttachment }))[0],
        ),
      ),
    );
  }

  /**
   * Whether anything of a placed service exists while its attachments are incomplete: an endpoint
   * group is the first thing made for each attachment and the last thing deleted.
   */
  private async anyGroup(w: Where, spec: EndpointServiceSpec): Promise<boolean> {
    const c = await w.clients.compute();
    for (const unit of gcpNames(spec).units) {
      if (await gcpOrAbsent(() => c.negs.get({ project: w.project, region: spec.region, networkEndpointGroup: unit.neg }))) return true;
    }
    return false;
  }

  async observeEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef, likelyReady = false): Promise<{ observed: ObservedEndpointService; ref: ProviderRef }> {
    const names = gcpNames(spec);
    const w = await this.where(spec);
    // A service expected ready has what its listeners' check reads read beside its attachments
    // (one round trip, not two); a failed early read is left to the check, which reads again.
    const early = likelyReady ? names.units.map((unit) => this.unitReads(w, spec, unit).catch(() => undefined)) : undefined;
    const attachments = await this.attachments(w, spec);
    if (attachments.some((a) => !a)) {
      if (w.account) {
        if (attachments.every((a) => !a) && !(await this.anyGroup(w, spec))) return { observed: { state: 'absent' }, ref: {} };
        return { observed: { state: 'provisioning' }, ref: { project: w.project } };
      }
      const network = await gcpOrAbsent(async () => (await (await w.clients.compute()).networks.get({ project: w.project, network: names.network }))[0]);
      if (!network) return { observed: { state: 'absent' }, ref: {} };
      return { observed: { state: 'provisioning' }, ref: { network: names.network } };
    }
    let inSync = true;
    for (const [i, unit] of names.units.entries()) {
      if (!(await this.unitInSync(w, spec, unit, attachments[i]!, await early?.[i]))) {
        inSync = false;
        break;
      }
    }
    return this.ready(w, spec, attachments[0]!.name ?? names.units[0]!.serviceAttachment, inSync);
  }

  /** A service whose attachments all exist, as an observe answers it. */
  private ready(w: Where, spec: EndpointServiceSpec, serviceName: string, listenersInSync: boolean): { observed: ObservedEndpointService; ref: ProviderRef } {
    const names = gcpNames(spec);
    const paths = names.units.map((unit) => this.attachmentPath(w, spec, unit));
    return {
      observed: {
        state: 'ready',
        serviceName,
        availabilityZones: [],
        listenersInSync,
        detail: { cloud: 'GCP', serviceAttachmentNames: paths, portMappingEnabled: spec.layout === 'portMapped' },
      },
      ref: w.account ? { project: w.project, serviceAttachments: paths } : { network: names.network, serviceAttachments: paths },
    };
  }

  /**
   * Takes the next steps of: network → subnet and NAT subnet → per attachment: endpoint group →
   * backend service → forwarding rule → service attachment. A step whose operation does not
   * settle ends the pass.
   */
  async createEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<CreatedEndpointService> {
    const w = await this.where(spec);
    const { ref, units } = await this.make(w, spec);
    // Compute answers each insert with an operation, not the resource: the caller looks again,
    // unless this pass made every resource the look reads (see `seenAfterMaking`).
    return { ref, seen: units.all ? this.seenAfterMaking(w, spec) : undefined };
  }

  private async make(w: Where, spec: EndpointServiceSpec): Promise<{ ref: ProviderRef; units: UnitsMade }> {
    const none: UnitsMade = { made: 0, all: false };
    if (w.account) {
      const account = w.account;
      // The provider network is made (or found) and the first group started in it under the network
      // lock, so a release of the same project's network never runs in between.
      let first = none;
      const provider = await this.withNetworkLock(account, async () => {
        const made = await ensureProviderNetwork(w.clients, spec.region);
        if (made) first = await this.createUnits(w, spec, made, 1);
        return made;
      });
      // The rest goes on from the step the first part ended at (its group is not inserted twice).
      const units = provider ? await this.createUnits(w, spec, provider, Number.POSITIVE_INFINITY, first.made) : none;
      return { ref: { project: w.project }, units };
    }
    const names = gcpNames(spec);
    const project = w.project;
    const region = spec.region;
    const c = await w.clients.compute();
    const ref = { network: names.network };
    const network = `projects/${project}/global/networks/${names.network}`;
    const subnet = `projects/${project}/regions/${region}/subnetworks/${names.subnet}`;
    const natSubnet = `projects/${project}/regions/${region}/subnetworks/${names.natSubnet}`;
    if (
      (await madeOrThere(w.clients, () =>
        c.networks.insert({ project, networkResource: { name: names.network, autoCreateSubnetworks: false, description: `privlink endpoint service ${spec.id}` } }),
      )) === 'pending'
    ) {
      return { ref, units: none };
    }
    // The subnet and the NAT subnet need only the network: both are made at once.
    const subnets = await Promise.all([
      madeOrThere(w.clients, () => c.subnetworks.insert({ project, region, subnetworkResource: { name: names.subnet, network, ipCidrRange: SUBNET_RANGE } })),
      madeOrThere(w.clients, () =>
        c.subnetworks.insert({
          project,
          region,
          subnetworkResource: { name: names.natSubnet, network, ipCidrRange: NAT_SUBNET_RANGE, purpose: 'PRIVATE_SERVICE_CONNECT' },
        }),
      ),
    ]);
    if (subnets.includes('pending')) return { ref, units: none };
    return { ref, units: await this.createUnits(w, spec, { network, subnet, natSubnet }) };
  }

  /**
   * The service as `observeEndpointService` would read it right after a pass that made every
   * group, backend service, forwarding rule and attachment itself (each operation DONE): the
   * attachments exist with the PROXY flag the listeners want, each backend service is on its
   * group, and each group is new, so it maps no port yet (the listeners are in sync only when none
   * is wanted). A pass that found any of them already there reads them instead.
   */
  private seenAfterMaking(w: Where, spec: EndpointServiceSpec): CreatedEndpointService['seen'] {
    const units = gcpNames(spec).units;
    return this.ready(
      w,
      spec,
      units[0]!.serviceAttachment,
      unitMappings(spec, units).every((wanted) => wanted.length === 0),
    );
  }

  /**
   * Per attachment: endpoint group → backend service → forwarding rule → service attachment, in
   * `net` (the service's own network or the provider network), from step `from` on. At most
   * `limit` steps are taken (all by default); a step whose operation does not settle ends the
   * pass. Answers how many steps, from the first on, this pass made one after another (one found
   * already there, or left running, ends the count), and whether that is every step.
   */
  private async createUnits(w: Where, spec: EndpointServiceSpec, net: GcpProviderNetwork, limit = Number.POSITIVE_INFINITY, from = 0): Promise<UnitsMade> {
    const names = gcpNames(spec);
    const project = w.project;
    const region = spec.region;
    const c = await w.clients.compute();
    const { network, subnet, natSubnet } = net;
    const steps: Step[] = [];
    for (const unit of names.units) {
      steps.push(
        () => c.negs.insert({ project, region, networkEndpointGroupResource: { name: unit.neg, networkEndpointType: 'GCE_VM_IP_PORTMAP', network, subnetwork: subnet } }),
        () =>
          c.backendServices.insert({
            project,
            region,
            backendServiceResource: { name: unit.backendService, loadBalancingScheme: 'INTERNAL', protocol: 'TCP', backends: [{ group: this.negPath(w, spec, unit) }] },
          }),
        () =>
          c.forwardingRules.insert({
            project,
            region,
            forwardingRuleResource: {
              name: unit.forwardingRule,
              loadBalancingScheme: 'INTERNAL',
              backendService: `projects/${project}/regions/${region}/backendServices/${unit.backendService}`,
              subnetwork: subnet,
              allPorts: true,
            },
          }),
        () =>
          c.serviceAttachments.insert({
            project,
            region,
            serviceAttachmentResource: {
              name: unit.serviceAttachment,
              description: `privlink endpoint service ${spec.id}`,
              targetService: `projects/${project}/regions/${region}/forwardingRules/${unit.forwardingRule}`,
              connectionPreference: 'ACCEPT_MANUAL',
              natSubnets: [natSubnet],
              consumerAcceptLists: [],
              enableProxyProtocol: wantsProxyProtocol(spec.listeners),
            },
          }),
      );
    }
    let taken = 0;
    let made = from; // the steps before `from` were made by an earlier call of this pass
    let inOrder = true;
    for (const insert of steps.slice(from)) {
      if (taken >= limit) break;
      const outcome = await madeOrThere(w.clients, insert);
      if (outcome === 'there') {
        inOrder = false;
        continue;
      }
      taken += 1;
      if (outcome === 'pending') break;
      if (inOrder) made += 1;
    }
    return { made, all: made === steps.length };
  }

  /**
   * Brings every attachment's endpoint group, backend and PROXY flag to the listeners: detaches
   * mappings no longer wanted, attaches missing ones, points the backend service at the group.
   */
  async syncListeners(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const w = await this.where(spec);
    const names = gcpNames(spec);
    const project = w.project;
    const region = spec.region;
    const c = await w.clients.compute();
    const wanted = unitMappings(spec, names.units);
    for (const [i, unit] of names.units.entries()) {
      const want = wanted[i]!;
      const have = await this.mappings(w, spec, unit);
      const wantKeys = new Set(want.map(mappingKey));
      const haveKeys = new Set(have.map(mappingKey));
      const extra = have.filter((e) => !wantKeys.has(mappingKey(e)));
      // A client port maps to one target: a re-targeted port is detached before it is attached again.
      const missing = want.filter((e) => !haveKeys.has(mappingKey(e)));
      if (extra.length > 0) {
        const done = await settles(w.clients, () =>
          c.negs.detachNetworkEndpoints({
            project,
            region,
            networkEndpointGroup: unit.neg,
            regionNetworkEndpointGroupsDetachEndpointsRequestResource: { networkEndpoints: extra },
          }),
        );
        if (!done) return;
      }
      if (missing.length > 0) {
        const done = await settles(w.clients, () =>
          c.negs.attachNetworkEndpoints({
            project,
            region,
            networkEndpointGroup: unit.neg,
            regionNetworkEndpointGroupsAttachEndpointsRequestResource: { networkEndpoints: missing },
          }),
        );
        if (!done) return;
      }
      const [backend] = await gcp(() => c.backendServices.get({ project, region, backendService: unit.backendService }));
      if (!sameSet(groupsOf(backend), [this.negPath(w, spec, unit)])) {
        const done = await settles(w.clients, () =>
          c.backendServices.patch({
            project,
            region,
            backendService: unit.backendService,
            backendServiceResource: { fingerprint: backend.fingerprint, backends: [{ group: this.negPath(w, spec, unit) }] },
          }),
        );
        if (!done) return;
      }
      const attachment = await gcpOrAbsent(async () => (await c.serviceAttachments.get({ project, region, serviceAttachment: unit.serviceAttachment }))[0]);
      if (attachment && Boolean(attachment.enableProxyProtocol) !== wantsProxyProtocol(spec.listeners)) {
        const done = await settles(w.clients, () =>
          c.serviceAttachments.patch({
            project,
            region,
            serviceAttachment: unit.serviceAttachment,
            serviceAttachmentResource: { fingerprint: attachment.fingerprint, enableProxyProtocol: wantsProxyProtocol(spec.listeners) },
          }),
        );
        if (!done) return;
      }
    }
  }

  /**
   * Deletes in the reverse order of creation: per attachment the attachment (Compute closes its
   * connections), the forwarding rule, the backend service and the endpoint group; then the
   * service's own subnets and network (a placed service's are the provider network's). A step whose
   * operation does not settle (or that is already being deleted) ends the pass; the next observe
   * confirms the deletion.
   */
  async deleteEndpointService(spec: EndpointServiceSpec, _ref: ProviderRef): Promise<void> {
    const w = await this.where(spec);
    const names = gcpNames(spec);
    const project = w.project;
    const region = spec.region;
    const c = await w.clients.compute();
    const steps: Step[] = [];
    for (const unit of names.units) {
      steps.push(
        () => c.serviceAttachments.delete({ project, region, serviceAttachment: unit.serviceAttachment }),
        () => c.forwardingRules.delete({ project, region, forwardingRule: unit.forwardingRule }),
        () => c.backendServices.delete({ project, region, backendService: unit.backendService }),
        () => c.negs.delete({ project, region, networkEndpointGroup: unit.neg }),
      );
    }
    // A placed service's subnets and network are the provider network's, released with the last service of the project and region.
    if (!w.account)
      steps.push(
        () => c.subnetworks.delete({ project, region, subnetwork: names.natSubnet }),
        () => c.subnetworks.delete({ project, region, subnetwork: names.subnet }),
        () => c.networks.delete({ project, network: names.network }),
      );
    // Each delete is sent without a read first: Compute's 404 (`notFound`) means it is gone already.
    for (const remove of steps) {
      try {
        if (!(await settles(w.clients, remove))) return;
      } catch (error) {
        if (error instanceof ProviderError && error.code === 'resourceNotReady') return;
        if (error instanceof ProviderError && error.code === 'notFound') continue;
        throw error;
      }
    }
  }

  /**
   * Reads the group's forwarding rules on the service's attachments: each must be connected, rule
   * i to attachment i, from the registered project, and there must be exactly one per attachment.
   * The group's state is its least advanced rule's; `members` carries every rule's.
   */
  async observeConnection(spec: EndpointServiceSpec, _ref: ProviderRef, endpoint: RegisteredEndpoint): Promise<ObservedConnection> {
    const w = await this.where(spec);
    const attachments = await this.attachments(w, spec);
    if (attachments.some((a) => !a)) return { state: 'serviceNotReady' };
    const group = groupOf(endpoint);
    const units = gcpNames(spec).units;
    const expected = units.length;
    if (group.rules.length !== expected) {
      return {
        state: 'invalid',
        message:
          spec.layout === 'portMapped'
            ? `the endpoint group has ${group.rules.length} forwarding rules; a port-mapped endpoint service takes exactly one.`
            : `the endpoint group has ${group.rules.length} forwarding rules; the endpoint service has ${expected} service attachments: make one forwarding rule per service attachment.`,
      };
    }
    const members: Array<{ name: string; status: ConnectionStatus }> = [];
    const states: ConnectionState[] = [];
    for (const [i, rule] of group.rules.entries()) {
      const path = rulePath(group.project, spec.region, rule);
      const at = attachments.findIndex((a) => findEndpoint(a!, path));
      if (at < 0) {
        const elsewhere = attachments.flatMap((a) => a!.connectedEndpoints ?? []).find((e) => e.endpoint && fromProjects(e.endpoint).endsWith(`/forwardingRules/${rule}`));
        if (elsewhere?.endpoint) {
          const project = fromProjects(elsewhere.endpoint).split('/')[1];
          return { state: 'invalid', message: `forwarding rule ${rule} is in GCP project ${project}, not in ${group.project}.` };
        }
        members.push({ name: rule, status: 'PENDING_ACCEPTANCE' });
        states.push('absent');
        continue;
      }
      if (spec.layout === 'attachmentSet' && at !== i) {
        return {
          state: 'invalid',
          message: `forwarding rule ${rule} targets service attachment ${units[at]!.serviceAttachment}; the group's rule ${i} must target ${units[i]!.serviceAttachment}.`,
        };
      }
      const attachment = attachments[at]!;
      const state = ruleState(findEndpoint(attachment, path)!.status, accepts(attachment, group.project));
      states.push(state);
      members.push({ name: rule, status: MEMBER_STATUS[state] });
    }
    const state = CONNECTION_ORDER.find((s) => states.includes(s)) ?? 'available';
    return { state, members, reading: attachments };
  }

  /**
   * Adds the group's project to the accept list of every attachment where one of its rules waits
   * (Compute accepts per project). The attachments this pass's observe read are patched as read:
   * their fingerprints make Compute refuse a patch of an attachment changed since
   * (`conditionNotMet`, retried with a fresh read on the next pass). Compute answers a patch with
   * an operation, so the connection's state takes another look.
   */
  async acceptConnection(spec: EndpointServiceSpec, _ref: ProviderRef, endpoint: RegisteredEndpoint, seen?: ObservedConnection): Promise<undefined> {
    const w = await this.where(spec);
    const group = groupOf(endpoint);
    const paths = group.rules.map((rule) => rulePath(group.project, spec.region, rule));
    const units = gcpNames(spec).units;
    const read = seen?.reading;
    const attachments = Array.isArray(read) && read.length === units.length ? (read as Array<ServiceAttachment | undefined>) : await this.attachments(w, spec);
    for (const [i, attachment] of attachments.entries()) {
      if (!attachment || accepts(attachment, group.project)) continue;
      if (!paths.some((path) => findEndpoint(attachment, path)?.status === 'PENDING')) continue;
      await this.patchLists(w, spec, units[i]!, attachment, {
        consumerAcceptLists: [...acceptList(attachment), { projectIdOrNum: group.project, connectionLimit: CONNECTION_LIMIT }],
      });
    }
    return undefined;
  }

  /**
   * Moves the group's project from the accept list to the reject list of every attachment its
   * rules are connected to, with `reconcileConnections` so accepted endpoints of that project are
   * rejected too.
   */
  async rejectConnection(spec: EndpointServiceSpec, _ref: ProviderRef, endpoint: RegisteredEndpoint): Promise<void> {
    const w = await this.where(spec);
    const group = groupOf(endpoint);
    const paths = group.rules.map((rule) => rulePath(group.project, spec.region, rule));
    const units = gcpNames(spec).units;
    const attachments = await this.attachments(w, spec);
    for (const [i, attachment] of attachments.entries()) {
      if (!attachment) continue;
      const live = paths.some((path) => {
        const status = findEndpoint(attachment, path)?.status;
        return status !== undefined && status !== 'REJECTED' && status !== 'CLOSED';
      });
      if (!live) continue;
      const rejects = attachment.consumerRejectLists ?? [];
      await this.patchLists(w, spec, units[i]!, attachment, {
        consumerAcceptLists: acceptList(attachment).filter((a) => a.projectIdOrNum !== group.project),
        consumerRejectLists: rejects.includes(group.project) ? rejects : [...rejects, group.project],
        reconcileConnections: true,
      });
    }
  }

  /**
   * Patches one attachment's consumer lists. An attachment deleted since it was read (its service
   * is being deleted) has no connections left to accept or reject: Compute's 404 ends the patch.
   */
  private async patchLists(w: Where, spec: EndpointServiceSpec, unit: GcpUnit, attachment: ServiceAttachment, change: ServiceAttachment): Promise<void> {
    const c = await w.clients.compute();
    try {
      await settles(w.clients, () =>
        c.serviceAttachments.patch({
          project: w.project,
          region: spec.region,
          serviceAttachment: unit.serviceAttachment,
          serviceAttachmentResource: { fingerprint: attachment.fingerprint, ...change },
        }),
      );
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'notFound') return;
      throw error;
    }
  }

  /** Whether one attachment's backend is its group, the group maps exactly the wanted ports, and the PROXY flag is the listeners'. */
  private async unitInSync(w: Where, spec: EndpointServiceSpec, unit: GcpUnit, attachment: ServiceAttachment, read?: UnitReads): Promise<boolean> {
    if (Boolean(attachment.enableProxyProtocol) !== wantsProxyProtocol(spec.listeners)) return false;
    const { backend, mappings } = read ?? (await this.unitReads(w, spec, unit));
    if (!backend || !sameSet(groupsOf(backend), [this.negPath(w, spec, unit)])) return false;
    const units = gcpNames(spec).units;
    const want = unitMappings(spec, units)[units.findIndex((u) => u.neg === unit.neg)]!;
    return sameSet(mappings.map(mappingKey), want.map(mappingKey));
  }

  /** One attachment's backend service and its group's mappings, read side by side (one round trip, not two). */
  private async unitReads(w: Where, spec: EndpointServiceSpec, unit: GcpUnit): Promise<UnitReads> {
    const [backend, mappings] = await Promise.all([
      gcpOrAbsent(async () => (await (await w.clients.compute()).backendServices.get({ project: w.project, region: spec.region, backendService: unit.backendService }))[0]),
      this.mappings(w, spec, unit),
    ]);
    return { backend, mappings };
  }

  /** The port mappings of one attachment's endpoint group (empty when the group is gone). */
  private async mappings(w: Where, spec: EndpointServiceSpec, unit: GcpUnit): Promise<PortMapping[]> {
    const items = await gcpOrAbsent(
      async () =>
        (await (await w.clients.compute()).negs.listNetworkEndpoints({ project: w.project, region: spec.region, networkEndpointGroup: unit.neg }, { autoPaginate: true }))[0],
    );
    return (items ?? []).map((item) => ({
      ipAddress: item.networkEndpoint?.ipAddress ?? '',
      port: Number(item.networkEndpoint?.port ?? 0),
      clientDestinationPort: Number(item.networkEndpoint?.clientDestinationPort ?? 0),
    }));
  }
}

/** One create or delete step: the write that makes or removes a resource (an insert or delete call). */
type Step = () => Promise<unknown>;

/** What a pass did of a service's per-attachment steps: how many it made one after another from the first, and whether that is all of them. */
interface UnitsMade {
  readonly made: number;
  readonly all: boolean;
}

/**
 * Makes one resource of a service: the insert is sent without a read first (a new service's
 * resources are all still to make), and Compute's `alreadyExists` (409) says it is there already,
 * from an earlier pass. `made` when its operation finished within the pass, `pending` when it is
 * left running (see `settles`).
 */
async function madeOrThere(clients: GcpClients, insert: Step): Promise<'made' | 'there' | 'pending'> {
  try {
    return (await settles(clients, insert)) ? 'made' : 'pending';
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'alreadyExists') return 'there';
    throw error;
  }
}

/** What the listeners' check of one attachment reads: its backend service (absent when gone) and its group's mappings. */
interface UnitReads {
  readonly backend: protos.google.cloud.compute.v1.IBackendService | undefined;
  readonly mappings: PortMapping[];
}

/** One client port of a port-mapping endpoint group and the target it maps to. */
interface PortMapping {
  readonly ipAddress: string;
  readonly port: number;
  readonly clientDestinationPort: number;
}

const mappingKey = (m: PortMapping) => `${m.clientDestinationPort}>${m.ipAddress}:${m.port}`;

/**
 * The port mappings each attachment's group must hold, in unit order: port-mapped, every listener
 * on its load-balancer port; legacy, on the attachment and port the legacy layout places it. A
 * client port maps to one target (a listener's first).
 */
function unitMappings(spec: EndpointServiceSpec, units: readonly GcpUnit[]): PortMapping[][] {
  const out = units.map(() => [] as PortMapping[]);
  for (const listener of spec.listeners) {
    const target = listener.targets[0];
    if (!target) continue;
    const place = spec.layout === 'portMapped' ? { attachment: 0, port: listener.port } : legacyPlacement(listener.port, units.length);
    out[place.attachment]!.push({ ipAddress: target.host, port: target.port, clientDestinationPort: place.port });
  }
  return out;
}

/** How one rule (and the group) stands, least advanced first. */
type ConnectionState = 'absent' | 'rejected' | 'deleted' | 'pendingAcceptance' | 'pending' | 'available';
const CONNECTION_ORDER: readonly ConnectionState[] = ['absent', 'rejected', 'deleted', 'pendingAcceptance', 'pending', 'available'];
const MEMBER_STATUS: Record<ConnectionState, ConnectionStatus> = {
  absent: 'PENDING_ACCEPTANCE',
  rejected: 'REJECTED',
  deleted: 'REJECTED',
  pendingAcceptance: 'PENDING_ACCEPTANCE',
  pending: 'PENDING',
  available: 'AVAILABLE',
};

/** A connected endpoint's status; PENDING from a project already on the accept list is accepted and on its way. */
function ruleState(status: string | null | undefined, accepted: boolean): ConnectionState {
  switch (status) {
    case 'ACCEPTED':
      return 'available';
    case 'REJECTED':
      return 'rejected';
    case 'CLOSED':
      return 'deleted';
    default:
      return accepted ? 'pending' : 'pendingAcceptance';
  }
}

/** The group's project and forwarding-rule names (registrations from before GCP was served have none). */
function groupOf(endpoint: RegisteredEndpoint): { project: string; rules: string[] } {
  if (endpoint.detail.cloud !== 'GCP') return { project: '', rules: [] };
  return { project: endpoint.detail.gcpProjectId, rules: endpoint.detail.endpoints.map((rule) => rule.endpointName) };
}

function rulePath(project: string, region: string, rule: string): string {
  return `projects/${project}/regions/${region}/forwardingRules/${rule}`;
}

function acceptList(attachment: ServiceAttachment) {
  return (attachment.consumerAcceptLists ?? []).map((a) => ({ projectIdOrNum: a.projectIdOrNum, networkUrl: a.networkUrl, connectionLimit: a.connectionLimit }));
}

function accepts(attachment: ServiceAttachment, project: string): boolean {
  return (attachment.consumerAcceptLists ?? []).some((a) => a.projectIdOrNum === project);
}

/** A service attachment has one PROXY flag: on when any listener's targets want it. */
function wantsProxyProtocol(listeners: readonly ListenerSpec[]): boolean {
  return listeners.some((l) => l.proxyProtocol);
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
