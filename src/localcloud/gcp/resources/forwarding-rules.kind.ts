import { parseIpv4 } from '../../common/ipv4.js';
import { computeErrors } from '../compute-error.js';
import type { ComputeContext } from '../compute-context.js';
import { fingerprint, pscConnectionId } from '../ids.js';
import { normalizeLink, pathOf, regionOfScope, regionPath, type ResourcePath } from '../links.js';
import { decideConnection } from '../psc-connection.js';
import { isVisible } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { acceptedUnderSameEntry, consumerOf, policyOf } from './connections.js';
import { compact, optBool, optEnum, optString, optStrings } from './fields.js';
import { allocateAddress } from './ip-allocation.js';
import { setLabels } from './labels.js';
import type { ResourceKind } from './kind.js';
import { firstUser, referenced, requireVisible, rowPath } from './references.js';

/**
 * Regional `forwardingRules`, two shapes:
 * - internal load balancer rules: `loadBalancingScheme` INTERNAL, `backendService` (a regional
 *   backend service), `subnetwork` (or a `network` with one subnetwork in the region), `ports`
 *   (up to five) or `allPorts`, `IPAddress` (an address, an address link, or allocated);
 * - Private Service Connect endpoints: `target` = a service attachment link (any project),
 *   `network`, `IPAddress` = a reserved internal address (link or IP), no `loadBalancingScheme`.
 *   Output `pscConnectionId` (decimal uint64) and `pscConnectionStatus` (psc-connection.ts).
 */
export const forwardingRulesKind: ResourceKind = {
  collection: 'forwardingRules',
  scopeType: 'regional',
  kind: 'compute#forwardingRule',
  delay: 'loadBalancerProvisioning',
  fingerprinted: true,
  labelled: true,
  verbs: { setLabels },
  async create(ctx, target, input) {
    return input.target !== undefined && input.target !== '' ? pscEndpoint(ctx, target, input) : internalRule(ctx, target, input);
  },
  usedBy: (ctx, row) => firstUser(ctx, rowPath(row), [{ collection: 'serviceAttachments', field: 'targetService' }]),
};

async function pscEndpoint(ctx: ComputeContext, target: ResourcePath, input: JsonObject): Promise<{ body: JsonObject; ref: string }> {
  const scheme = optString(input, 'loadBalancingScheme');
  if (scheme !== undefined) throw computeErrors.invalidField('resource.loadBalancingScheme', scheme, 'A Private Service Connect forwarding rule has no load balancing scheme.');
  const attachmentPath = normalizeLink(input.target, 'resource.target', ctx.principal.projectId, { collection: 'serviceAttachments', scope: target.scope });
  if (attachmentPath.scope !== target.scope)
    throw computeErrors.invalidField('resource.target', input.target, 'The service attachment must be in the region of the forwarding rule.');
  const attachment = await requireVisible(ctx, attachmentPath);
  const network = await referenced(ctx, input, 'network', { collection: 'networks', scope: 'global' });
  const address = await reservedAddress(ctx, target, input.IPAddress);
  if (address.body.network !== rowPath(network.row))
    throw computeErrors.invalidField('resource.IPAddress', input.IPAddress, 'The address must belong to the network of the forwarding rule.');
  const addressPath = rowPath(address);
  for (const rule of await ctx.repos.resources.live({ collection: 'forwardingRules', project: target.project, scope: target.scope }, ctx.now)) {
    if (rule.body._addressRef === addressPath) throw computeErrors.inUse('address', addressPath, rowPath(rule));
  }
  const body: JsonObject = compact({
    description: optString(input, 'description'),
    region: regionPath(target.project, regionOfScope(target.scope)!),
    IPAddress: String(address.body.address),
    target: pathOf(attachmentPath),
    network: rowPath(network.row),
    subnetwork: String(address.body.subnetwork),
    loadBalancingScheme: '',
    networkTier: 'PREMIUM',
    allowPscGlobalAccess: optBool(input, 'allowPscGlobalAccess') ?? false,
    pscConnectionId: pscConnectionId(),
    fingerprint: fingerprint(),
    _addressRef: addressPath,
  });
  const rule = { project: target.project, body };
  const policy = policyOf(attachment.body);
  const consumer = await consumerOf(ctx, rule);
  const others = await ctx.repos.resources.referring(pathOf(attachmentPath), ctx.now);
  // An attachment being deleted accepts no new connections: they are closed from the start.
  body.pscConnectionStatus = attachment.goneAt !== null ? 'CLOSED' : decideConnection(policy, consumer, undefined, await acceptedUnderSameEntry(ctx, policy, consumer, others));
  return { body, ref: pathOf(attachmentPath) };
}

/** The reserved internal address a PSC endpoint names (a link, or an IP of an address in the project and region). */
async function reservedAddress(ctx: ComputeContext, target: ResourcePath, value: unknown) {
  if (value === undefined || value === '') throw computeErrors.required('resource.IPAddress');
  if (typeof value === 'string' && parseIpv4(value) !== undefined) {
    const addresses = await ctx.repos.resources.live({ collection: 'addresses', project: target.project, scope: target.scope }, ctx.now);
    const hit = addresses.find((a) => a.body.address === value && isVisible(a, ctx.now));
    if (!hit) throw computeErrors.invalidField('resource.IPAddress', value, 'A Private Service Connect endpoint needs a reserved internal address of the region.');
    return hit;
  }
  const path = normalizeLink(value, 'resource.IPAddress', ctx.principal.projectId, { collection: 'addresses', scope: target.scope });
  if (path.scope !== target.scope) throw computeErrors.invalidField('resource.IPAddress', value, 'The address must be in the region of the forwarding rule.');
  return requireVisible(ctx, path);
}

async function internalRule(ctx: ComputeContext, target: ResourcePath, input: JsonObject): Promise<{ body: JsonObject; ref: null }> {
  const scheme = optString(input, 'loadBalancingScheme') ?? 'EXTERNAL';
  if (scheme !== 'INTERNAL')
    throw computeErrors.invalidField(
      'resource.loadBalancingScheme',
      scheme,
      'The local cloud emulates internal passthrough forwarding rules (INTERNAL) and Private Service Connect endpoints (target).',
    );
  const backend = await referenced(ctx, input, 'backendService', { collection: 'backendServices', scope: target.scope });
  if (backend.path.scope !== target.scope)
    throw computeErrors.invalidField('resource.backendService', input.backendService, 'The backend service must be in the region of the forwarding rule.');
  const subnet = await subnetFor(ctx, target, input);
  const ports = optStrings(input, 'ports');
  const allPorts = optBool(input, 'allPorts') ?? false;
  if (ports.length > 5) throw computeErrors.invalidField('resource.ports', ports.join(','), 'At most five ports may be specified; use allPorts for more.');
  if (allPorts === ports.length > 0) throw computeErrors.invalid("Exactly one of 'ports' or 'allPorts' must be specified for an internal forwarding rule.");
  for (const port of ports) {
    const n = Number(port);
    if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) throw computeErrors.invalidField('resource.ports', port, 'Expected a port number.');
  }
  let ip: string;
  let addressRef: string | undefined;
  const given = input.IPAddress;
  if (typeof given === 'string' && given !== '' && parseIpv4(given) === undefined) {
    const address = await reservedAddress(ctx, target, given);
    ip = String(address.body.address);
    addressRef = rowPath(address);
  } else {
    ip = await allocateAddress(ctx, subnet, typeof given === 'string' && given !== '' ? given : undefined);
  }
  return {
    body: compact({
      description: optString(input, 'description'),
      region: regionPath(target.project, regionOfScope(target.scope)!),
      IPAddress: ip,
      IPProtocol: optEnum(input, 'IPProtocol', ['TCP'] as const, 'TCP'),
      ports: allPorts ? undefined : ports,
      allPorts: allPorts || undefined,
      backendService: rowPath(backend.row),
      network: String(subnet.body.network),
      subnetwork: rowPath(subnet),
      loadBalancingScheme: 'INTERNAL',
      networkTier: 'PREMIUM',
      allowGlobalAccess: optBool(input, 'allowGlobalAccess') ?? false,
      fingerprint: fingerprint(),
      _addressRef: addressRef,
    }),
    ref: null,
  };
}

async function subnetFor(ctx: ComputeContext, target: ResourcePath, input: JsonObject) {
  if (input.subnetwork !== undefined && input.subnetwork !== '') {
    const subnet = await referenced(ctx, input, 'subnetwork', { collection: 'subnetworks', scope: target.scope });
    if (subnet.path.scope !== target.scope)
      throw computeErrors.invalidField('resource.subnetwork', input.subnetwork, 'Subnetwork must be in the same region as the forwarding rule.');
    return subnet.row;
  }
  const network = await referenced(ctx, input, 'network', { collection: 'networks', scope: 'global' });
  const subnets = (await ctx.repos.resources.live({ collection: 'subnetworks', scope: target.scope }, ctx.now)).filter(
    (s) => s.body.network === rowPath(network.row) && s.body.purpose === 'PRIVATE' && isVisible(s, ctx.now),
  );
  if (subnets.length !== 1) throw computeErrors.required('resource.subnetwork');
  return subnets[0]!;
}
