import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { formatCidr, parseCidr } from '../../common/ipv4.js';
import { currentStatus } from '../peering-status.js';
import type { OnPremisesNetwork, Route, Vpc, VpcPeering } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { invalidParameterValue, peeringNotFound, required } from './ec2-errors.js';
import { applyFilters } from './filters.js';
import { paginate } from './paging.js';
import { tagSet } from './tags.js';
import { groupedBy, namedAmong } from '../../common/named-rows.js';

/**
 * Route tables, as far as reaching a VPC through a peering connection needs them: every VPC has
 * its main route table (the one CreateVpc made; no others are created or associated here), with
 * the implicit `local` route for the VPC's CIDR, a route propagated from each on-premises network
 * attached to the VPC (privlink extension, see on-premises.actions.ts), and the routes customers
 * add with CreateRoute to a VPC peering connection. A route whose connection is not `active` is a
 * `blackhole`, as AWS shows it.
 */

interface RouteTableView {
  readonly seq: number;
  readonly vpc: Vpc;
  readonly routes: readonly Route[];
  readonly onPremises: readonly OnPremisesNetwork[];
}

function routeTableNotFound(routeTableId: string): AwsQueryError {
  return new AwsQueryError('InvalidRouteTableID.NotFound', `The routeTable ID '${routeTableId}' does not exist`);
}

/** The caller's VPC whose main route table is `routeTableId`, or InvalidRouteTableID.NotFound. */
async function ownRouteTable(ctx: ActionContext, routeTableId: string): Promise<Vpc> {
  const vpc = (await ctx.repos.network.listVpcs(ctx.account.accountId, ctx.region.regionName)).find((v) => v.mainRouteTableId === routeTableId);
  if (!vpc) throw routeTableNotFound(routeTableId);
  return vpc;
}

/** Whether the connection joins `vpcId` to another VPC. */
function joins(peering: VpcPeering, vpcId: string): boolean {
  return peering.requesterVpcId === vpcId || peering.accepterVpcId === vpcId;
}

/**
 * CreateRoute: `RouteTableId`, `DestinationCidrBlock`, `VpcPeeringConnectionId` (the only target
 * the local cloud routes to). The connection must join the table's VPC.
 */
export async function createRoute(ctx: ActionContext): Promise<Xml> {
  const vpc = await ownRouteTable(ctx, required(ctx.params, 'RouteTableId'));
  const text = required(ctx.params, 'DestinationCidrBlock');
  const cidr = parseCidr(text);
  if (!cidr) throw invalidParameterValue(`Value (${text}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  const peeringId = ctx.params.get('VpcPeeringConnectionId');
  if (!peeringId) {
    const other = [
      'GatewayId',
      'NatGatewayId',
      'TransitGatewayId',
      'NetworkInterfaceId',
      'InstanceId',
      'VpcEndpointId',
      'LocalGatewayId',
      'CarrierGatewayId',
      'EgressOnlyInternetGatewayId',
    ].find((name) => ctx.params.get(name));
    if (other) throw invalidParameterValue(`The local cloud routes only to VPC peering connections, not to ${other}.`);
    throw new AwsQueryError('MissingParameter', 'The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId');
  }
  const peering = await ctx.repos.peering.findPeering(peeringId);
  if (!peering || (peering.requesterAccountId !== ctx.account.accountId && peering.accepterAccountId !== ctx.account.accountId)) throw peeringNotFound(peeringId);
  if (!joins(peering, vpc.vpcId)) {
    throw invalidParameterValue(`route table ${vpc.mainRouteTableId} and network gateway ${peeringId} belong to different networks`);
  }
  const destination = formatCidr(cidr);
  const existing = await ctx.repos.peering.listRoutes([vpc.mainRouteTableId]);
  if (destination === vpc.cidrBlock || existing.some((r) => r.destinationCidr === destination)) {
    throw new AwsQueryError('RouteAlreadyExists', `The route identified by ${destination} already exists.`);
  }
  await ctx.repos.peering.insertRoute({ routeTableId: vpc.mainRouteTableId, destinationCidr: destination, vpcPeeringConnectionId: peeringId, createdAt: ctx.now });
  return leaf('return', true);
}

/** DeleteRoute: `RouteTableId`, `DestinationCidrBlock`. */
export async function deleteRoute(ctx: ActionContext): Promise<Xml> {
  const vpc = await ownRouteTable(ctx, required(ctx.params, 'RouteTableId'));
  const text = required(ctx.params, 'DestinationCidrBlock');
  const cidr = parseCidr(text);
  const destination = cidr ? formatCidr(cidr) : text;
  const routes = await ctx.repos.peering.listRoutes([vpc.mainRouteTableId]);
  if (!routes.some((r) => r.destinationCidr === destination)) {
    throw new AwsQueryError('InvalidRoute.NotFound', `no route with destination-cidr-block ${text} in route table ${vpc.mainRouteTableId}`);
  }
  await ctx.repos.peering.deleteRoute(vpc.mainRouteTableId, destination);
  return leaf('return', true);
}

/**
 * DescribeRouteTables: `RouteTableId.N`; filters route-table-id, vpc-id, owner-id, association.main,
 * route.destination-cidr-block, route.vpc-peering-connection-id, route.gateway-id, route.state,
 * route.origin; paging 5–1000.
 */
export async function describeRouteTables(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('RouteTableId');
  const vpcs = namedAmong(await ctx.repos.network.listVpcs(ctx.account.accountId, ctx.region.regionName), ids, (v) => v.mainRouteTableId, routeTableNotFound);
  const routes = groupedBy(await ctx.repos.peering.listRoutes(vpcs.map((v) => v.mainRouteTableId)), (r) => r.routeTableId);
  const onPremises = groupedBy(await ctx.repos.peering.allOnPremisesNetworks(), (o) => o.vpcId);
  const peerings = new Map((await ctx.repos.peering.allPeerings()).map((p) => [p.peeringId, p]));
  let tables: RouteTableView[] = vpcs.map((vpc) => ({
    seq: vpc.seq,
    vpc,
    routes: routes.get(vpc.mainRouteTableId) ?? [],
    onPremises: onPremises.get(vpc.vpcId) ?? [],
  }));
  const state = (r: Route) => {
    const peering = peerings.get(r.vpcPeeringConnectionId);
    return peering && currentStatus(peering, ctx.now) === 'active' ? 'active' : 'blackhole';
  };
  tables = applyFilters(
    tables,
    parseFilters(ctx.params),
    {
      'route-table-id': (t) => t.vpc.mainRouteTableId,
      'vpc-id': (t) => t.vpc.vpcId,
      'owner-id': (t) => t.vpc.accountId,
      'association.main': () => true,
      'route.destination-cidr-block': (t) => [t.vpc.cidrBlock, ...t.onPremises.map((o) => o.cidrBlock), ...t.routes.map((r) => r.destinationCidr)],
      'route.vpc-peering-connection-id': (t) => t.routes.map((r) => r.vpcPeeringConnectionId),
      'route.gateway-id': (t) => ['local', ...t.onPremises.map((o) => o.gatewayId)],
      'route.state': (t) => ['active', ...t.routes.map(state)],
      'route.origin': (t) => ['CreateRouteTable', ...(t.onPremises.length > 0 ? ['EnableVgwRoutePropagation'] : []), ...(t.routes.length > 0 ? ['CreateRoute'] : [])],
    },
    () => [],
  );
  const { page, nextToken } = await paginate(tables, ctx.params, { min: 5, max: 1000 });
  return xml(
    list('routeTableSet', 'item', page, (t) =>
      xml(
        leaf('routeTableId', t.vpc.mainRouteTableId),
        leaf('vpcId', t.vpc.vpcId),
        leaf('ownerId', t.vpc.accountId),
        list(
          'routeSet',
          'item',
          [
            xml(leaf('destinationCidrBlock', t.vpc.cidrBlock), leaf('gatewayId', 'local'), leaf('state', 'active'), leaf('origin', 'CreateRouteTable')),
            ...t.onPremises.map((o) =>
              xml(leaf('destinationCidrBlock', o.cidrBlock), leaf('gatewayId', o.gatewayId), leaf('state', 'active'), leaf('origin', 'EnableVgwRoutePropagation')),
            ),
            ...t.routes.map((r) =>
              xml(
                leaf('destinationCidrBlock', r.destinationCidr),
                leaf('vpcPeeringConnectionId', r.vpcPeeringConnectionId),
                leaf('state', state(r)),
                leaf('origin', 'CreateRoute'),
              ),
            ),
          ],
          (x) => x,
        ),
        list('associationSet', 'item', [t.vpc], (v) =>
          xml(
            leaf('main', true),
            leaf('routeTableAssociationId', `rtbassoc-${v.mainRouteTableId.slice(4)}`),
            leaf('routeTableId', v.mainRouteTableId),
            element('associationState', leaf('state', 'associated')),
          ),
        ),
        list('propagatingVgwSet', 'item', t.onPremises, (o) => leaf('gatewayId', o.gatewayId)),
        tagSet([]),
      ),
    ),
    leaf('nextToken', nextToken),
  );
}
