import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  AcceptVpcPeeringConnectionCommand,
  CreateRouteCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  CreateVpnGatewayCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  DescribeVpnGatewaysCommand,
  RejectVpcPeeringConnectionCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import type { AccountCredentials } from '../../src/localcloud/aws/local-cloud-aws.js';
import { startHarness, type Harness } from './harness.js';

/** Debian's AWS CLI when installed, else the `aws` on PATH (checked to be the AWS CLI below). */
const AWS_CLI = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';

/** The error an SDK call fails with: code, message and HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  assert.fail('the call succeeded');
}

/** PrivlinkAttachOnPremisesNetwork through the SDK: a CreateVpnGateway request renamed before signing (as `privlink localcloud aws attach-on-premises-network` does). */
async function attachOnPremises(ec2: EC2Client, vpcId: string, cidr: string) {
  const rename = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    const request = (args as { request: { body: string; headers: Record<string, string> } }).request;
    request.body = request.body.replace('Action=CreateVpnGateway&', 'Action=PrivlinkAttachOnPremisesNetwork&') + `&VpcId=${vpcId}&CidrBlock=${encodeURIComponent(cidr)}`;
    request.headers['content-length'] = String(Buffer.byteLength(request.body));
    return next(args);
  };
  ec2.middlewareStack.addRelativeTo(rename as never, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'attachOnPremises' });
  try {
    return (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!;
  } finally {
    ec2.middlewareStack.remove('attachOnPremises');
  }
}

// VPC peering as AWS documents its lifecycle (requester → pending-acceptance → accepter accepts →
// active; rejected; deleted; failed for overlapping CIDRs), routes to a peering connection in the
// main route tables, and the on-premises extension — through the AWS SDK and the AWS CLI.
describe('VPC peering, routes and on-premises networks in the local cloud', () => {
  let h: Harness;
  let partner: AccountCredentials;
  let customerVpc: { id: string; cidr: string; routeTable: string };
  let partnerVpc: { id: string; cidr: string; routeTable: string };
  let pcx: string;

  const mainTable = async (ec2: EC2Client, vpcId: string) => (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!;

  before(async () => {
    h = await startHarness();
    partner = await h.cloud.createAccount('partner');
    const customer = h.ec2(h.cloud.accounts.customer);
    const vpc = (await customer.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
    customerVpc = { id: vpc.VpcId!, cidr: vpc.CidrBlock!, routeTable: (await mainTable(customer, vpc.VpcId!)).RouteTableId! };
    const partnerEc2 = h.ec2(partner);
    const created = (await partnerEc2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!;
    partnerVpc = { id: created.VpcId!, cidr: '10.1.0.0/16', routeTable: (await mainTable(partnerEc2, created.VpcId!)).RouteTableId! };
  });
  after(async () => h?.close());

  test('every VPC has a main route table with its local route', async () => {
    const table = await mainTable(h.ec2(h.cloud.accounts.customer), customerVpc.id);
    assert.equal(table.VpcId, customerVpc.id);
    assert.match(table.RouteTableId!, /^rtb-[0-9a-f]{17}$/);
    assert.deepEqual(
      table.Associations!.map((a) => a.Main),
      [true],
    );
    assert.deepEqual(
      table.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State, r.Origin]),
      [[customerVpc.cidr, 'local', 'active', 'CreateRouteTable']],
    );
  });

  test('the partner requests a peering to the customer VPC: initiating-request, then pending-acceptance on both sides', async () => {
    const created = (
      await h.ec2(partner).send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: partnerVpc.id,
          PeerVpcId: customerVpc.id,
          PeerOwnerId: h.cloud.accounts.customer.accountId,
          TagSpecifications: [{ ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'Name', Value: 'to-atlas-vpc' }] }],
        }),
      )
    ).VpcPeeringConnection!;
    pcx = created.VpcPeeringConnectionId!;
    assert.match(pcx, /^pcx-[0-9a-f]{17}$/);
    assert.deepEqual(created.Status, { Code: 'initiating-request', Message: `Initiating Request to ${h.cloud.accounts.customer.accountId}` });
    assert.equal(created.RequesterVpcInfo!.VpcId, partnerVpc.id);
    assert.equal(created.RequesterVpcInfo!.CidrBlock, partnerVpc.cidr);
    assert.equal(created.AccepterVpcInfo!.OwnerId, h.cloud.accounts.customer.accountId);
    assert.equal(created.AccepterVpcInfo!.CidrBlock, undefined, 'the accepter CIDR shows once active');
    assert.ok(created.ExpirationTime instanceof Date);
    assert.deepEqual(created.Tags, [{ Key: 'Name', Value: 'to-atlas-vpc' }]);
    for (const account of [partner, h.cloud.accounts.customer]) {
      const seen = (await h.ec2(account).send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections!;
      assert.deepEqual(seen[0]!.Status, { Code: 'pending-acceptance', Message: `Pending Acceptance by ${h.cloud.accounts.customer.accountId}` });
    }
    const stranger = await failure(h.ec2(h.cloud.accounts.provider).send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] })));
    assert.deepEqual(stranger, { code: 'InvalidVpcPeeringConnectionID.NotFound', message: `The vpcPeeringConnection ID '${pcx}' does not exist`, status: 400 });
    assert.equal(
      (await failure(h.ec2(partner).send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: ['pcx-XYZ'] })))).code,
      'InvalidVpcPeeringConnectionId.Malformed',
    );
  });

  test('only the accepter accepts: provisioning in the answer, then active with both CIDRs', async () => {
    assert.equal((await failure(h.ec2(partner).send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })))).code, 'OperationNotPermitted');
    const accepted = (await h.ec2(h.cloud.accounts.customer).send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }))).VpcPeeringConnection!;
    assert.deepEqual(accepted.Status, { Code: 'provisioning', Message: 'Provisioning' });
    const active = (await h.ec2(partner).send(new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: 'status-code', Values: ['active'] }] }))).VpcPeeringConnections!;
    assert.deepEqual(
      active.map((p) => [p.VpcPeeringConnectionId, p.Status!.Code, p.AccepterVpcInfo!.CidrBlock, p.RequesterVpcInfo!.CidrBlock]),
      [[pcx, 'active', customerVpc.cidr, partnerVpc.cidr]],
    );
    const again = await failure(h.ec2(h.cloud.accounts.customer).send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })));
    assert.equal(again.code, 'InvalidStateTransition');
  });

  test('routes to the peering on both sides: the snapshot then has the path each way, and only while both routes exist', async () => {
    const customer = h.ec2(h.cloud.accounts.customer);
    await customer.send(new CreateRouteCommand({ RouteTableId: customerVpc.routeTable, DestinationCidrBlock: partnerVpc.cidr, VpcPeeringConnectionId: pcx }));
    assert.equal((await h.cloud.snapshot()).reach!.filter((r) => r.via === pcx).length, 0, 'one route alone carries nothing back');
    await h.ec2(partner).send(new CreateRouteCommand({ RouteTableId: partnerVpc.routeTable, DestinationCidrBlock: customerVpc.cidr, VpcPeeringConnectionId: pcx }));
    const duplicate = await failure(
      customer.send(new CreateRouteCommand({ RouteTableId: customerVpc.routeTable, DestinationCidrBlock: partnerVpc.cidr, VpcPeeringConnectionId: pcx })),
    );
    assert.deepEqual(duplicate, { code: 'RouteAlreadyExists', message: `The route identified by ${partnerVpc.cidr} already exists.`, status: 400 });
    const otherTable = await failure(
      customer.send(new CreateRouteCommand({ RouteTableId: partnerVpc.routeTable, DestinationCidrBlock: '10.9.0.0/16', VpcPeeringConnectionId: pcx })),
    );
    assert.equal(otherTable.code, 'InvalidRouteTableID.NotFound');
    const table = await mainTable(customer, customerVpc.id);
    assert.deepEqual(
      table.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId ?? r.VpcPeeringConnectionId, r.State, r.Origin]),
      [
        [customerVpc.cidr, 'local', 'active', 'CreateRouteTable'],
        [partnerVpc.cidr, pcx, 'active', 'CreateRoute'],
      ],
    );
    const reach = (await h.cloud.snapshot()).reach!.filter((r) => r.via === pcx);
    assert.deepEqual(
      reach.map((r) => [r.fromNetworkId, r.fromCidr, r.toNetworkId, r.toCidr]).sort(),
      [
        [customerVpc.id, customerVpc.cidr, partnerVpc.id, partnerVpc.cidr],
        [partnerVpc.id, partnerVpc.cidr, customerVpc.id, customerVpc.cidr],
      ].sort(),
    );
  });

  test('overlapping CIDRs fail the request; the accepter rejects another one', async () => {
    const partnerEc2 = h.ec2(partner);
    const partnerDefault = (await partnerEc2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
    const overlapping = (
      await partnerEc2.send(new CreateVpcPeeringConnectionCommand({ VpcId: partnerDefault.VpcId, PeerVpcId: customerVpc.id, PeerOwnerId: h.cloud.accounts.customer.accountId }))
    ).VpcPeeringConnection!;
    const failed = (await partnerEc2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [overlapping.VpcPeeringConnectionId!] }))).VpcPeeringConnections![0]!;
    assert.deepEqual(failed.Status, { Code: 'failed', Message: 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range' });

    const second = (await partnerEc2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!;
    const request = (
      await partnerEc2.send(new CreateVpcPeeringConnectionCommand({ VpcId: second.VpcId, PeerVpcId: customerVpc.id, PeerOwnerId: h.cloud.accounts.customer.accountId }))
    ).VpcPeeringConnection!.VpcPeeringConnectionId!;
    const result = await h.ec2(h.cloud.accounts.customer).send(new RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: request }));
    assert.equal(result.Return, true);
    const rejected = (await partnerEc2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [request] }))).VpcPeeringConnections![0]!;
    assert.deepEqual(rejected.Status, { Code: 'rejected', Message: `Rejected by ${h.cloud.accounts.customer.accountId}` });
    const route = await failure(
      partnerEc2.send(new CreateRouteCommand({ RouteTableId: partnerVpc.routeTable, DestinationCidrBlock: '10.3.0.0/16', VpcPeeringConnectionId: request })),
    );
    assert.equal(route.code, 'InvalidParameterValue', 'a connection of another VPC is not a target of this table');
  });

  test('the AWS CLI drives peering: describe-vpc-peering-connections and describe-route-tables', async () => {
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: h.cloud.accounts.customer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.cloud.accounts.customer.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    const aws = (args: string[]) =>
      new Promise<any>((resolve, reject) =>
        execFile(AWS_CLI, [...args, '--endpoint-url', h.url, '--region', 'us-east-1', '--output', 'json'], { env, timeout: 60_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(JSON.parse(stdout)),
        ),
      );
    const version = await new Promise<string>((resolve) => execFile(AWS_CLI, ['--version'], { env }, (_e, stdout, stderr) => resolve(`${stdout}${stderr}`)));
    assert.match(version, /^aws-cli\//, `${AWS_CLI} is not the AWS CLI (install Debian's awscli package); this test does not skip`);
    const listed = await aws(['ec2', 'describe-vpc-peering-connections', '--filters', 'Name=status-code,Values=active']);
    assert.deepEqual(
      listed.VpcPeeringConnections.map((p: any) => [p.VpcPeeringConnectionId, p.Status.Code, p.RequesterVpcInfo.VpcId, p.AccepterVpcInfo.VpcId]),
      [[pcx, 'active', partnerVpc.id, customerVpc.id]],
    );
    const tables = await aws(['ec2', 'describe-route-tables', '--filters', `Name=route.vpc-peering-connection-id,Values=${pcx}`]);
    assert.deepEqual(
      tables.RouteTables.map((t: any) => t.RouteTableId),
      [customerVpc.routeTable],
    );
  });

  test('an on-premises network attached to the customer VPC: a virtual private gateway, a propagated route, a loopback range and a path into the VPC', async () => {
    const customer = h.ec2(h.cloud.accounts.customer);
    const gateway = await attachOnPremises(customer, customerVpc.id, '10.50.0.0/16');
    assert.match(gateway.VpnGatewayId!, /^vgw-[0-9a-f]{17}$/);
    assert.equal(gateway.State, 'available');
    assert.deepEqual(gateway.VpcAttachments, [{ VpcId: customerVpc.id, State: 'attached' }]);
    const tags = Object.fromEntries(gateway.Tags!.map((t) => [t.Key, t.Value]));
    assert.equal(tags['privlink:on-premises-cidr'], '10.50.0.0/16');
    assert.match(tags['privlink:loopback']!, /^127\.\d+\.0\.0\/16$/);
    const overlap = await failure(attachOnPremises(customer, customerVpc.id, '172.31.128.0/20'));
    assert.equal(overlap.code, 'InvalidParameterValue');
    assert.deepEqual(
      (await customer.send(new DescribeVpnGatewaysCommand({}))).VpnGateways!.map((g) => g.VpnGatewayId),
      [gateway.VpnGatewayId],
    );
    const table = await mainTable(customer, customerVpc.id);
    assert.deepEqual(table.PropagatingVgws, [{ GatewayId: gateway.VpnGatewayId }]);
    assert.ok(table.Routes!.some((r) => r.DestinationCidrBlock === '10.50.0.0/16' && r.GatewayId === gateway.VpnGatewayId && r.Origin === 'EnableVgwRoutePropagation'));
    const snapshot = await h.cloud.snapshot();
    const network = snapshot.networks.find((n) => n.networkId === gateway.VpnGatewayId)!;
    assert.equal(network.kind, 'on-premises');
    assert.equal(`127.${network.loopbackOctet}.0.0/16`, tags['privlink:loopback']);
    assert.ok(snapshot.reach!.some((r) => r.fromNetworkId === gateway.VpnGatewayId && r.toNetworkId === customerVpc.id && r.toCidr === customerVpc.cidr));
  });

  test('deleting the active peering: deleted, its routes blackhole, the path is gone; DeleteRoute removes a route once', async () => {
    const customer = h.ec2(h.cloud.accounts.customer);
    assert.equal((await h.ec2(partner).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }))).Return, true);
    const deleted = (await customer.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] }))).VpcPeeringConnections![0]!;
    assert.deepEqual(deleted.Status, { Code: 'deleted', Message: `Deleted by ${partner.accountId}` });
    const route = (await mainTable(customer, customerVpc.id)).Routes!.find((r) => r.VpcPeeringConnectionId === pcx)!;
    assert.equal(route.State, 'blackhole');
    assert.equal((await h.cloud.snapshot()).reach!.filter((r) => r.via === pcx).length, 0);
    assert.equal((await failure(customer.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx })))).code, 'InvalidStateTransition');
    await customer.send(new DeleteRouteCommand({ RouteTableId: customerVpc.routeTable, DestinationCidrBlock: partnerVpc.cidr }));
    const gone = await failure(customer.send(new DeleteRouteCommand({ RouteTableId: customerVpc.routeTable, DestinationCidrBlock: partnerVpc.cidr })));
    assert.deepEqual(gone, {
      code: 'InvalidRoute.NotFound',
      message: `no route with destination-cidr-block ${partnerVpc.cidr} in route table ${customerVpc.routeTable}`,
      status: 400,
    });
    // Deleted connections stay visible for two hours, as on AWS.
    h.advance(2 * 3600_000 + 1000);
    assert.equal((await failure(customer.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [pcx] })))).code, 'InvalidVpcPeeringConnectionID.NotFound');
  });
});
