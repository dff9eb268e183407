import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { ec2Id } from '../ids.js';
import { currentStatus } from '../peering-status.js';
import { cidrsOverlap, parseCidr } from '../../common/ipv4.js';
import type { Vpc, VpcPeering, VpcPeeringStatus } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { peeringNotFound, required } from './ec2-errors.js';
import { applyFilters } from './filters.js';
import { paginate } from './paging.js';
import { tagSet, tagsFromSpecifications } from './tags.js';
import { ownVpc } from './vpcs.actions.js';
import { namedAmong } from '../../common/named-rows.js';

/**
 * VPC peering connections, as AWS documents their lifecycle ("VPC peering connection lifecycle"):
 * the requester creates one (`initiating-request` in the answer, then `pending-acceptance`, or
 * `failed` when the accepter VPC does not exist or the CIDR blocks overlap), the accepter's account
 * accepts it in the accepter's region (`provisioning` in the answer, then `active`) or rejects it
 * (`rejected`); either owner deletes it (`deleted`; the requester may also delete a pending one).
 * A request not accepted within 7 days is `expired`. Deleted and failed connections stay visible
 * for 2 hours, rejected and expired ones for 2 days.
 */

const PENDING_DAYS = 7;
const VISIBLE_AFTER_MS: Partial<Record<VpcPeeringStatus, number>> = {
  deleted: 2 * 3600_000,
  failed: 2 * 3600_000,
  rejected: 2 * 86_400_000,
  expired: 2 * 86_400_000,
};

function checkPeeringId(id: string): void {
  if (!/^pcx-[a-z0-9]+$/.test(id)) throw new AwsQueryError('InvalidVpcPeeringConnectionId.Malformed', `Invalid id: "${id}" (expecting "pcx-...")`);
}

/** Whether the caller's account and region are one side of the connection, and it is still listed. */
function visibleTo(ctx: ActionContext, peering: VpcPeering): boolean {
  const side =
    (peering.requesterAccountId === ctx.account.accountId && peering.requesterRegion === ctx.region.regionName) ||
    (peering.accepterAccountId === ctx.account.accountId && peering.accepterRegion === ctx.region.regionName);
  if (!side) return false;
  const status = currentStatus(peering, ctx.now);
  const keep = VISIBLE_AFTER_MS[status];
  const since = status === 'expired' ? peering.expiresAt : peering.changedAt;
  return keep === undefined || ctx.now.getTime() - since.getTime() < keep;
}

/** A connection the caller can see, or InvalidVpcPeeringConnectionID.NotFound. */
export async function visiblePeering(ctx: ActionContext, peeringId: string): Promise<VpcPeering> {
  checkPeeringId(peeringId);
  const peering = await ctx.repos.peering.findPeering(peeringId);
  if (!peering || !visibleTo(ctx, peering)) throw peeringNotFound(peeringId);
  return peering;
}

const MESSAGES: Record<VpcPeeringStatus, (p: VpcPeering) => string> = {
  'initiating-request': (p) => `Initiating Request to ${p.accepterAccountId}`,
  'pending-acceptance': (p) => `Pending Acceptance by ${p.accepterAccountId}`,
  provisioning: () => 'Provisioning',
  active: () => 'Active',
  rejected: (p) => `Rejected by ${p.accepterAccountId}`,
  deleted: (p) => p.message,
  failed: (p) => p.message,
  expired: () => 'Expired',
};

async function renderPeering(ctx: ActionContext, peering: VpcPeering, shown?: VpcPeeringStatus): Promise<Xml> {
  const status = shown ?? currentStatus(peering, ctx.now);
  const requester = await ctx.repos.network.findVpc(peering.requesterVpcId);
  const accepter = await ctx.repos.network.findVpc(peering.accepterVpcId);
  // The accepter's CIDR is shown once the connection is set up, as AWS shows it.
  const showAccepterCidr = status === 'active' || status === 'provisioning' || status === 'deleted';
  const side = (ownerId: string, vpcId: string, region: string, vpc: Vpc | undefined, withCidr: boolean) =>
    xml(
      leaf('ownerId', ownerId),
      leaf('vpcId', vpcId),
      withCidr && vpc ? leaf('cidrBlock', vpc.cidrBlock) : undefined,
      withCidr && vpc ? list('cidrBlockSet', 'item', [vpc.cidrBlock], (cidr) => leaf('cidrBlock', cidr)) : undefined,
      withCidr
        ? element(
            'peeringOptions',
            leaf('allowEgressFromLocalClassicLinkToRemoteVpc', false),
            leaf('allowEgressFromLocalVpcToRemoteClassicLink', false),
            leaf('allowDnsResolutionFromRemoteVpc', false),
          )
        : undefined,
      leaf('region', region),
    );
  return xml(
    element('accepterVpcInfo', side(peering.accepterAccountId, peering.accepterVpcId, peering.accepterRegion, accepter, showAccepterCidr)),
    leaf('expirationTime', status === 'pending-acceptance' || status === 'initiating-request' ? peering.expiresAt : undefined),
    element('requesterVpcInfo', side(peering.requesterAccountId, peering.requesterVpcId, peering.requesterRegion, requester, true)),
    element('status', leaf('code', status), leaf('message', MESSAGES[status](peering))),
    tagSet(peering.tags),
    leaf('vpcPeeringConnectionId', peering.peeringId),
  );
}

/**
 * CreateVpcPeeringConnection: `VpcId` (the caller's), `PeerVpcId`, `PeerOwnerId` (default the
 * caller), `PeerRegion` (default the request's region), `TagSpecification.N`
 * (vpc-peering-connection).
 */
export async function createVpcPeeringConnection(ctx: ActionContext): Promise<Xml> {
  const vpc = await ownVpc(ctx, required(ctx.params, 'VpcId'));
  const peerVpcId = required(ctx.params, 'PeerVpcId');
  const peerOwnerId = ctx.params.get('PeerOwnerId') || ctx.account.accountId;
  const peerRegion = ctx.params.get('PeerRegion') || ctx.region.regionName;
  const tags = tagsFromSpecifications(ctx.params, 'vpc-peering-connection');
  const peer = await ctx.repos.network.findVpc(peerVpcId);
  const peerThere = peer !== undefined && peer.accountId === peerOwnerId && peer.region === peerRegion;
  // In one account and region AWS refuses an unknown peer at once; across accounts the request fails later.
  if (!peerThere && peerOwnerId === ctx.account.accountId && peerRegion === ctx.region.regionName) {
    throw new AwsQueryError('InvalidVpcID.NotFound', `The vpc ID '${peerVpcId}' does not exist`);
  }
  if (peerVpcId === vpc.vpcId) throw new AwsQueryError('InvalidParameterValue', `Cannot create a VPC peering connection between a VPC and itself: ${vpc.vpcId}`);
  const overlap = peerThere && cidrsOverlap(parseCidr(vpc.cidrBlock)!, parseCidr(peer.cidrBlock)!);
  const failed = !peerThere || overlap;
  const peering: Omit<VpcPeering, 'seq'> = {
    peeringId: ec2Id('pcx'),
    requesterAccountId: ctx.account.accountId,
    requesterRegion: ctx.region.regionName,
    requesterVpcId: vpc.vpcId,
    accepterAccountId: peerOwnerId,
    accepterRegion: peerRegion,
    accepterVpcId: peerVpcId,
    status: failed ? 'failed' : 'pending-acceptance',
    message: failed ? 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range' : '',
    tags,
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + PENDING_DAYS * 86_400_000),
    changedAt: ctx.now,
  };
  await ctx.repos.peering.insertPeering(peering);
  const stored = (await ctx.repos.peering.findPeering(peering.peeringId))!;
  return element('vpcPeeringConnection', await renderPeering(ctx, stored, 'initiating-request'));
}

/** AcceptVpcPeeringConnection: `VpcPeeringConnectionId`; only the accepter's account, in the accepter's region. */
export async function acceptVpcPeeringConnection(ctx: ActionContext): Promise<Xml> {
  const peering = await visiblePeering(ctx, required(ctx.params, 'VpcPeeringConnectionId'));
  const status = currentStatus(peering, ctx.now);
  if (peering.accepterAccountId !== ctx.account.accountId || peering.accepterRegion !== ctx.region.regionName) {
    throw new AwsQueryError('OperationNotPermitted', `User ${ctx.account.accountId} cannot accept peering ${peering.peeringId}`);
  }
  if (status !== 'pending-acceptance') {
    throw new AwsQueryError('InvalidStateTransition', `Invalid state transition for ${peering.peeringId}, attempted to transition from ${status} to provisioning`);
  }
  await ctx.repos.peering.setPeeringStatus(peering.peeringId, 'active', '', ctx.now);
  const stored = (await ctx.repos.peering.findPeering(peering.peeringId))!;
  return element('vpcPeeringConnection', await renderPeering(ctx, stored, 'provisioning'));
}

/** RejectVpcPeeringConnection: `VpcPeeringConnectionId`; the accepter refuses a pending request. */
export async function rejectVpcPeeringConnection(ctx: ActionContext): Promise<Xml> {
  const peering = await visiblePeering(ctx, required(ctx.params, 'VpcPeeringConnectionId'));
  const status = currentStatus(peering, ctx.now);
  if (peering.accepterAccountId !== ctx.account.accountId || peering.accepterRegion !== ctx.region.regionName) {
    throw new AwsQueryError('OperationNotPermitted', `User ${ctx.account.accountId} cannot reject peering ${peering.peeringId}`);
  }
  if (status !== 'pending-acceptance') {
    throw new AwsQueryError('InvalidStateTransition', `Invalid state transition for ${peering.peeringId}, attempted to transition from ${status} to rejected`);
  }
  await ctx.repos.peering.setPeeringStatus(peering.peeringId, 'rejected', '', ctx.now);
  return leaf('return', true);
}

/**
 * DeleteVpcPeeringConnection: `VpcPeeringConnectionId`; either owner deletes an active connection,
 * the requester also a pending one. Routes to it stay, as `blackhole`.
 */
export async function deleteVpcPeeringConnection(ctx: ActionContext): Promise<Xml> {
  const peering = await visiblePeering(ctx, required(ctx.params, 'VpcPeeringConnectionId'));
  const status = currentStatus(peering, ctx.now);
  const isRequester = peering.requesterAccountId === ctx.account.accountId && peering.requesterRegion === ctx.region.regionName;
  if (!(status === 'active' || (status === 'pending-acceptance' && isRequester))) {
    throw new AwsQueryError('InvalidStateTransition', `Invalid state transition for ${peering.peeringId}, attempted to transition from ${status} to deleted`);
  }
  await ctx.repos.peering.setPeeringStatus(peering.peeringId, 'deleted', `Deleted by ${ctx.account.accountId}`, ctx.now);
  return leaf('return', true);
}

/**
 * DescribeVpcPeeringConnections: `VpcPeeringConnectionId.N`; filters vpc-peering-connection-id,
 * status-code, status-message, expiration-time, requester-vpc-info.{vpc-id,owner-id,cidr-block},
 * accepter-vpc-info.{vpc-id,owner-id,cidr-block}, tags; paging 5–1000.
 */
export async function describeVpcPeeringConnections(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('VpcPeeringConnectionId');
  for (const id of ids) checkPeeringId(id);
  let peerings = namedAmong(
    (await ctx.repos.peering.allPeerings()).filter((p) => visibleTo(ctx, p)),
    ids,
    (p) => p.peeringId,
    peeringNotFound,
  );
  const cidrs = new Map<string, string>();
  for (const p of peerings) {
    for (const vpcId of [p.requesterVpcId, p.accepterVpcId]) {
      const vpc = await ctx.repos.network.findVpc(vpcId);
      if (vpc) cidrs.set(vpcId, vpc.cidrBlock);
    }
  }
  peerings = applyFilters(
    peerings,
    parseFilters(ctx.params),
    {
      'vpc-peering-connection-id': (p) => p.peeringId,
      'status-code': (p) => currentStatus(p, ctx.now),
      'status-message': (p) => MESSAGES[currentStatus(p, ctx.now)](p),
      'expiration-time': (p) => p.expiresAt.toISOString(),
      'requester-vpc-info.vpc-id': (p) => p.requesterVpcId,
      'requester-vpc-info.owner-id': (p) => p.requesterAccountId,
      'requester-vpc-info.cidr-block': (p) => cidrs.get(p.requesterVpcId),
      'accepter-vpc-info.vpc-id': (p) => p.accepterVpcId,
      'accepter-vpc-info.owner-id': (p) => p.accepterAccountId,
      'accepter-vpc-info.cidr-block': (p) => cidrs.get(p.accepterVpcId),
    },
    (p) => p.tags,
  );
  const { page, nextToken } = await paginate(peerings, ctx.params, { min: 5, max: 1000 });
  const items: Xml[] = [];
  for (const p of page) items.push(await renderPeering(ctx, p));
  return xml(
    list('vpcPeeringConnectionSet', 'item', items, (x) => x),
    leaf('nextToken', nextToken),
  );
}
