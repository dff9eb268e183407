import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { ec2Id } from '../ids.js';
import { cidrsOverlap, formatCidr, parseCidr } from '../../common/ipv4.js';
import { loopbackOctet } from '../../common/loopback.js';
import type { OnPremisesNetwork, Tag } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { gatewayNotFound, invalidParameterValue, required } from './ec2-errors.js';
import { applyFilters } from './filters.js';
import { nextLoopbackSlot } from './network-factory.js';
import { tagSet } from './tags.js';
import { ownVpc } from './vpcs.actions.js';
import { namedAmong } from '../../common/named-rows.js';

/**
 * On-premises networks — a privlink extension, not AWS actions. AWS connects a data centre to a VPC
 * with Direct Connect: a virtual interface to a virtual private gateway (`vgw-…`) attached to the
 * VPC, whose routes the VPC's route table learns by route propagation. The local cloud collapses
 * that into one call: `PrivlinkAttachOnPremisesNetwork` (`VpcId`, `CidrBlock` /16–/28, not
 * overlapping the VPC or another network on the same VPC) makes the gateway, attaches it, and
 * propagates the network's CIDR into the VPC's main route table; the data centre learns the VPC's
 * CIDR over the link. The network's hosts get a loopback slot as a VPC's do: its address `a.b.x.y`
 * is `127.<slot octet>.x.y` on this host. Answers as CreateVpnGateway (tags
 * `privlink:on-premises-cidr` and `privlink:loopback` say the network and where its hosts are);
 * DescribeVpnGateways lists the gateways; `PrivlinkDetachOnPremisesNetwork` (`VpnGatewayId`)
 * removes one, answering as DeleteVpnGateway.
 */

export const ON_PREMISES_CIDR_TAG = 'privlink:on-premises-cidr';
export const LOOPBACK_TAG = 'privlink:loopback';

function renderGateway(ctx: ActionContext, network: OnPremisesNetwork): Xml {
  const tags: Tag[] = [
    { key: ON_PREMISES_CIDR_TAG, value: network.cidrBlock },
    { key: LOOPBACK_TAG, value: `127.${loopbackOctet(ctx.loopback, network.slot)}.0.0/16` },
    ...network.tags,
  ];
  return xml(
    leaf('vpnGatewayId', network.gatewayId),
    leaf('state', 'available'),
    leaf('type', 'ipsec.1'),
    list('attachments', 'item', [network], (n) => xml(leaf('vpcId', n.vpcId), leaf('state', 'attached'))),
    leaf('amazonSideAsn', network.amazonSideAsn),
    tagSet(tags),
  );
}

/** PrivlinkAttachOnPremisesNetwork: `VpcId`, `CidrBlock`, `AmazonSideAsn` (default 64512). */
export async function attachOnPremisesNetwork(ctx: ActionContext): Promise<Xml> {
  const vpc = await ownVpc(ctx, required(ctx.params, 'VpcId'));
  const text = required(ctx.params, 'CidrBlock');
  const cidr = parseCidr(text);
  if (!cidr) throw invalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw invalidParameterValue(`The CIDR '${text}' is invalid: an on-premises network is a /16 to a /28.`);
  const attached = (await ctx.repos.peering.allOnPremisesNetworks()).filter((o) => o.vpcId === vpc.vpcId);
  if (cidrsOverlap(cidr, parseCidr(vpc.cidrBlock)!) || attached.some((o) => cidrsOverlap(cidr, parseCidr(o.cidrBlock)!))) {
    throw invalidParameterValue(`The CIDR '${text}' overlaps the VPC ${vpc.vpcId} or a network already attached to it.`);
  }
  const asnText = ctx.params.get('AmazonSideAsn');
  const asn = asnText === undefined ? 64512 : Number(asnText);
  if (!Number.isInteger(asn) || asn < 64512 || asn > 65534) throw invalidParameterValue(`Value (${asnText}) for parameter amazonSideAsn is invalid.`);
  const slot = await nextLoopbackSlot(ctx.repos);
  if (slot > ctx.loopback.maxSlot) throw new AwsQueryError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
  const gatewayId = ec2Id('vgw');
  await ctx.repos.peering.insertOnPremisesNetwork({
    gatewayId,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    vpcId: vpc.vpcId,
    cidrBlock: formatCidr(cidr),
    slot,
    amazonSideAsn: asn,
    tags: [],
    createdAt: ctx.now,
  });
  const network = (await ctx.repos.peering.allOnPremisesNetworks()).find((o) => o.gatewayId === gatewayId)!;
  return element('vpnGateway', renderGateway(ctx, network));
}

/** PrivlinkDetachOnPremisesNetwork: `VpnGatewayId` of the caller's. */
export async function detachOnPremisesNetwork(ctx: ActionContext): Promise<Xml> {
  const gatewayId = required(ctx.params, 'VpnGatewayId');
  const network = (await ctx.repos.peering.allOnPremisesNetworks()).find(
    (o) => o.gatewayId === gatewayId && o.accountId === ctx.account.accountId && o.region === ctx.region.regionName,
  );
  if (!network) throw gatewayNotFound(gatewayId);
  await ctx.repos.peering.deleteOnPremisesNetwork(gatewayId);
  return leaf('return', true);
}

/** DescribeVpnGateways: `VpnGatewayId.N`; filters vpn-gateway-id, state, type, attachment.vpc-id, attachment.state, amazon-side-asn. */
export async function describeVpnGateways(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('VpnGatewayId');
  let networks = namedAmong(
    (await ctx.repos.peering.allOnPremisesNetworks()).filter((o) => o.accountId === ctx.account.accountId && o.region === ctx.region.regionName),
    ids,
    (o) => o.gatewayId,
    gatewayNotFound,
  );
  networks = applyFilters(networks, parseFilters(ctx.params), {
    'vpn-gateway-id': (o) => o.gatewayId,
    state: () => 'available',
    type: () => 'ipsec.1',
    'attachment.vpc-id': (o) => o.vpcId,
    'attachment.state': () => 'attached',
    'amazon-side-asn': (o) => String(o.amazonSideAsn),
  });
  return list('vpnGatewaySet', 'item', networks, (o) => renderGateway(ctx, o));
}
