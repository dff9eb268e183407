import { pathOf, regionOfScope } from './links.js';
import { endpointsOf } from './resources/network-endpoint-groups.kind.js';
import type { GcpRepositories } from './store/repositories.js';
import { isVisible, type ResourceRow } from './store/resources.repository.js';
import type { JsonObject } from './store/schema.js';
import type {
  GcpConnectedEndpointView,
  GcpFirewallView,
  GcpInternalLoadBalancerView,
  GcpNetworkView,
  GcpPscEndpointView,
  GcpServiceAttachmentView,
  GcpTargetView,
  GcpView,
} from './view-model.js';

type Status = GcpPscEndpointView['status'];

function named(row: ResourceRow) {
  return { path: pathOf(row), id: row.id, project: row.project, name: row.name };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The collections the view is made of, read in one query. */
const VIEW_COLLECTIONS = ['networks', 'subnetworks', 'firewalls', 'networkEndpointGroups', 'forwardingRules', 'serviceAttachments', 'backendServices'] as const;

/** Builds the view from the store at `now` (call in one consistent transaction: it only reads). */
export async function buildView(repos: GcpRepositories, now: Date): Promise<GcpView> {
  const live = await repos.resources.liveOfCollections(VIEW_COLLECTIONS, now);
  const visible = (collection: (typeof VIEW_COLLECTIONS)[number]) => live.get(collection)!.filter((r) => isVisible(r, now));
  const networks = visible('networks');
  const subnets = visible('subnetworks');
  const firewalls = visible('firewalls');
  const groups = visible('networkEndpointGroups');
  const rules = visible('forwardingRules');
  const attachments = visible('serviceAttachments');
  const groupByPath = new Map(groups.map((g) => [pathOf(g), g]));
  const backendByPath = new Map(visible('backendServices').map((b) => [pathOf(b), b]));
  const networkViews: GcpNetworkView[] = networks.map((n) => ({
    ...named(n),
    subnetworks: subnets
      .filter((s) => s.body.network === pathOf(n))
      .map((s) => ({
        ...named(s),
        region: regionOfScope(s.scope)!,
        ipCidrRange: String(s.body.ipCidrRange),
        purpose: s.body.purpose === 'PRIVATE_SERVICE_CONNECT' ? ('PRIVATE_SERVICE_CONNECT' as const) : ('PRIVATE' as const),
      })),
  }));
  const firewallViews: GcpFirewallView[] = firewalls.map((f) => {
    const list = (Array.isArray(f.body.allowed) ? f.body.allowed : Array.isArray(f.body.denied) ? f.body.denied : []) as JsonObject[];
    return {
      ...named(f),
      network: String(f.body.network),
      direction: f.body.direction === 'EGRESS' ? 'EGRESS' : 'INGRESS',
      priority: Number(f.body.priority),
      action: Array.isArray(f.body.allowed) ? 'allow' : 'deny',
      rules: list.map((r) => ({ IPProtocol: String(r.IPProtocol), ports: strings(r.ports) })),
      sourceRanges: strings(f.body.sourceRanges),
      destinationRanges: strings(f.body.destinationRanges),
      targetTags: strings(f.body.targetTags),
      disabled: f.body.disabled === true,
    };
  });
  const createdAt = new Map(rules.map((r) => [pathOf(r), r.createdAt.getTime()]));
  const ilbs: GcpInternalLoadBalancerView[] = [];
  const pscs: GcpPscEndpointView[] = [];
  for (const r of rules) {
    const base = { ...named(r), region: regionOfScope(r.scope)!, ipAddress: String(r.body.IPAddress), network: String(r.body.network), subnetwork: String(r.body.subnetwork) };
    if (r.body.loadBalancingScheme === 'INTERNAL') {
      const backend = backendByPath.get(String(r.body.backendService));
      const targets = (Array.isArray(backend?.body.backends) ? (backend.body.backends as JsonObject[]) : []).flatMap((b) => {
        const group = groupByPath.get(String(b.group));
        if (!group) return [];
        const defaultPort = typeof group.body.defaultPort === 'number' ? group.body.defaultPort : null;
        const groupType = String(group.body.networkEndpointType) as GcpTargetView['groupType'];
        return endpointsOf(group.body).map((e) => ({
          ipAddress: e.ipAddress,
          port: e.port ?? defaultPort,
          clientDestinationPort: e.clientDestinationPort,
          group: pathOf(group),
          groupType,
        }));
      });
      ilbs.push({ ...base, ports: r.body.allPorts === true ? null : strings(r.body.ports).map(Number), backendService: String(r.body.backendService), targets });
    } else if (typeof r.body.target === 'string') {
      pscs.push({ ...base, target: r.body.target, pscConnectionId: String(r.body.pscConnectionId), status: String(r.body.pscConnectionStatus) as Status });
    }
  }
  const attachmentViews: GcpServiceAttachmentView[] = attachments.map((a) => {
    const connected: GcpConnectedEndpointView[] = pscs
      .filter((p) => p.target === pathOf(a) && (createdAt.get(p.path) ?? 0) >= a.createdAt.getTime())
      .map((p) => ({ endpoint: p.path, pscConnectionId: p.pscConnectionId, status: p.status, consumerNetwork: p.network }));
    return {
      ...named(a),
      region: regionOfScope(a.scope)!,
      targetService: String(a.body.targetService),
      connectionPreference: a.body.connectionPreference === 'ACCEPT_MANUAL' ? 'ACCEPT_MANUAL' : 'ACCEPT_AUTOMATIC',
      enableProxyProtocol: a.body.enableProxyProtocol === true,
      natSubnets: strings(a.body.natSubnets),
      connectedEndpoints: connected,
    };
  });
  const next = await repos.resources.nextChangeAfter(now);
  return {
    takenAt: now,
    nextTransitionAt: next ?? null,
    networks: networkViews,
    firewalls: firewallViews,
    internalLoadBalancers: ilbs,
    serviceAttachments: attachmentViews,
    pscEndpoints: pscs,
  };
}
