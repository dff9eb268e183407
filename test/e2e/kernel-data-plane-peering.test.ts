import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
} from '@aws-sdk/client-ec2';
import { HostNetwork } from '../../src/localcloud/kernel/host-network.js';
import { hostTable, instanceTag, NAMESPACE_TABLE, namespaceName, namespacePrefix } from '../../src/localcloud/kernel/kernel-plan.js';
import { customerEndpoint, defaultVpcAndGroup } from '../support/customer-vpc.js';
import { clusterWithAvailableService, privateEndpointSrv, registerAwsEndpoint, startStack, type Stack } from '../support/full-stack.js';
import { clientInNetwork, inNetwork, listedNamespaces, type Seen } from '../support/namespace-client.js';

// VPC peering in the kernel data plane (PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel): the endpoint is in
// the default VPC A; VPC B is peered with A (routes both ways), VPC C with B only. Each VPC is a
// network namespace; a process in B reaches A's endpoint at its private address along the routed
// path (the snapshot's `reach`), a process in C does not (reach is not transitive), and once the
// peering A–B is deleted B does not either. The same setup as transitive-reach.test.ts (loopback
// data plane), from inside the VPCs with `privlink localcloud exec`.
const run = promisify(execFile);
const unavailable = await HostNetwork.unavailable();
const skip = unavailable ? `the kernel data plane cannot run on this host: ${unavailable}` : false;

const B_CIDR = '10.1.0.0/16';
const C_CIDR = '10.2.0.0/16';

let stack: Stack;
let tag: string;
let srv: string;
/** The host name of the endpoint's first node, as the SRV record names it. */
let nodeHost: string;
let endpointIp: string;
let a: { id: string; cidr: string; groupId: string };
let bId: string;
let cId: string;
let pcxAB: string;
let closed = false;

/** Runs a command inside network `networkId` through the CLI; its standard output. */
function inVpc(networkId: string, ...command: string[]): Promise<string> {
  return inNetwork(stack.dataDir, networkId, ...command);
}

/** The namespace client (test/fixtures/namespace-client.mjs) run in network `networkId`: what it saw. */
function client(networkId: string, ...args: string[]): Promise<Seen> {
  return clientInNetwork(stack.dataDir, networkId, ...args);
}

/** Polls `probe` until `done` holds for its value or `timeoutMs` passes; the last value either way. */
async function poll<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    last = await probe();
  }
  return last;
}

/** The networks `<dataDir>/kernel-namespaces.json` lists (none while it is not there). */
function listed(): Array<{ networkId: string; namespace: string; clientAddress: string }> {
  return listedNamespaces(stack.dataDir);
}

/** The namespace's nftables table as applied (empty when it has none). */
async function namespaceTable(networkId: string): Promise<string> {
  return (await run('ip', ['netns', 'exec', namespaceName(tag, networkId), 'nft', 'list', 'table', 'ip', NAMESPACE_TABLE]).catch(() => ({ stdout: '' }))).stdout;
}

const mainRouteTable = async (vpcId: string) =>
  (await stack.customerEc2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!.RouteTableId!;

/** An active peering between `requester` and `accepter` with a route each way to the other's block. */
async function peer(requester: { id: string; cidr: string }, accepter: { id: string; cidr: string }): Promise<string> {
  const ec2 = stack.customerEc2();
  const pcx = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: requester.id, PeerVpcId: accepter.id }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  await ec2.send(new CreateRouteCommand({ RouteTableId: await mainRouteTable(requester.id), DestinationCidrBlock: accepter.cidr, VpcPeeringConnectionId: pcx }));
  await ec2.send(new CreateRouteCommand({ RouteTableId: await mainRouteTable(accepter.id), DestinationCidrBlock: requester.cidr, VpcPeeringConnectionId: pcx }));
  return pcx;
}

before(async () => {
  if (skip) return;
  stack = await startStack({ PRIVLINK_LOCALCLOUD_DATA_PLANE: 'kernel' });
  tag = instanceTag(stack.dataDir);
  const { serviceId, serviceName } = await clusterWithAvailableService(stack);
  const vpce = await customerEndpoint(stack.customerEc2(), serviceName, { openToVpc: true });
  await registerAwsEndpoint(stack, serviceId, vpce);
  srv = await privateEndpointSrv(stack);
  nodeHost = srv.replace('mongodb+srv://cluster0-pl-0.', 'pl-0-us-east-1.');
  const endpoint = (await stack.running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === vpce)!;
  endpointIp = endpoint.networkInterfaces[0]!.privateIp;

  const ec2 = stack.customerEc2();
  a = await defaultVpcAndGroup(ec2);
  assert.equal(a.id, endpoint.networkId);
  bId = (await ec2.send(new CreateVpcCommand({ CidrBlock: B_CIDR }))).Vpc!.VpcId!;
  cId = (await ec2.send(new CreateVpcCommand({ CidrBlock: C_CIDR }))).Vpc!.VpcId!;
  // The endpoint's (default) group admits both B's and C's blocks: only routing tells them apart.
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: a.groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 65535, IpRanges: [{ CidrIp: B_CIDR }, { CidrIp: C_CIDR }] }],
    }),
  );
  pcxAB = await peer({ id: bId, cidr: B_CIDR }, a);
  await peer({ id: cId, cidr: C_CIDR }, { id: bId, cidr: B_CIDR });

  // B's and C's namespaces listed for the CLI (the list is written once their scripts are applied).
  const networks = await poll(
    async () => listed().map((n) => n.networkId),
    (ids) => [a.id, bId, cId].every((id) => ids.includes(id)),
    10_000,
  );
  assert.deepEqual(
    [a.id, bId, cId].filter((id) => !networks.includes(id)),
    [],
    'not listed in kernel-namespaces.json',
  );
});

after(async () => {
  if (!closed) await stack?.close();
});

describe('kernel data plane: VPC peering', { skip }, () => {
  test('the snapshot has the routed paths A↔B and B↔C, none between A and C', async () => {
    const reach = (await stack.running.localCloud!.snapshot()).reach ?? [];
    const pairs = new Set(reach.map((r) => `${r.fromNetworkId} ${r.toNetworkId}`));
    for (const [from, to] of [
      [bId, a.id],
      [a.id, bId],
      [cId, bId],
      [bId, cId],
    ]) {
      assert.ok(pairs.has(`${from} ${to}`), `no path ${from} → ${to}: ${JSON.stringify(reach)}`);
    }
    assert.ok(!pairs.has(`${cId} ${a.id}`) && !pairs.has(`${a.id} ${cId}`), JSON.stringify(reach));
  });

  test("from B (peered with A, routes both ways) the official driver pings the cluster through A's endpoint, by its SRV string", async (t) => {
    // B's rules let its processes reach the endpoint's address (polled: a pass applies them shortly after the peering's routes).
    const table = await poll(
      () => namespaceTable(bId),
      (text) => text.includes(`${endpointIp} . 1024`),
      10_000,
    );
    assert.ok(table.includes(`${endpointIp} . 1024`), `B's namespace table has no rule for ${endpointIp}:1024:\n${table}`);
    // B's resolver answers the endpoint's private address (in A), not a loopback one.
    assert.deepEqual((await inVpc(bId, 'dig', '+short', 'A', nodeHost)).trim().split('\n'), [endpointIp]);
    const records = (await inVpc(bId, 'dig', '+short', 'SRV', `_mongodb._tcp.${srv.replace('mongodb+srv://', '')}`)).trim().split('\n').sort();
    assert.deepEqual(records, [`0 0 1024 ${nodeHost}.`, `0 0 1025 ${nodeHost}.`, `0 0 1026 ${nodeHost}.`]);
    const seen = await client(bId, 'mongo', `${srv}/?tls=false`);
    assert.equal(seen.outcome, 'ok', seen.message);
    assert.deepEqual(seen.ping, { ok: 1 });
    assert.match(seen.me!, /^pl-0-us-east-1\./);
    // And straight to the node's address, port 1024, from B's own address.
    const direct = await client(bId, 'mongo', `mongodb://${endpointIp}:1024/?directConnection=true&tls=false`);
    assert.equal(direct.outcome, 'ok', direct.message);
    // The raw probe the refusals below use is not refused from B (the node takes the connection and waits for a MongoDB message, or drops a bad one).
    const probe = await client(bId, 'tcp', endpointIp, '1024');
    assert.notEqual(probe.code, 'ECONNREFUSED', JSON.stringify(probe));
    t.diagnostic(`tcp probe from B: ${JSON.stringify(probe)}`);
  });

  test('from C (peered with B only) the same connection is refused: reach is not transitive', async () => {
    // C's namespace is live: its resolver answers (the name is no secret), its rules are applied.
    assert.deepEqual((await inVpc(cId, 'dig', '+short', 'A', nodeHost)).trim().split('\n'), [endpointIp]);
    assert.match(await namespaceTable(cId), /chain out/);
    assert.doesNotMatch(await namespaceTable(cId), new RegExp(`${endpointIp.replaceAll('.', '\\.')} \\. 1024`));
    const seen = await client(cId, 'tcp', endpointIp, '1024');
    assert.equal(seen.outcome, 'error', JSON.stringify(seen));
    assert.equal(seen.code, 'ECONNREFUSED', JSON.stringify(seen));
    const driver = await client(cId, 'mongo', `mongodb://${endpointIp}:1024/?directConnection=true&tls=false`);
    assert.equal(driver.outcome, 'error', JSON.stringify(driver));
  });

  test('once the peering A–B is deleted, B is refused too within a few seconds; A still connects', async (t) => {
    await stack.customerEc2().send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcxAB }));
    const started = Date.now();
    const seen = await poll(
      () => client(bId, 'tcp', endpointIp, '1024'),
      (s) => s.code === 'ECONNREFUSED',
      5_000,
      0,
    );
    assert.equal(seen.code, 'ECONNREFUSED', `B still reaches ${endpointIp}:1024 ${Date.now() - started} ms after the peering's deletion: ${JSON.stringify(seen)}`);
    t.diagnostic(`B refused ${Date.now() - started} ms after the peering's deletion`);
    const driver = await client(bId, 'mongo', `${srv}/?tls=false`);
    assert.equal(driver.outcome, 'error', JSON.stringify(driver));
    // The endpoint itself still serves its own VPC: the refusal is B's, not a dead endpoint.
    const fromA = await client(a.id, 'mongo', `${srv}/?tls=false`);
    assert.equal(fromA.outcome, 'ok', fromA.message);
  });

  test("once privlink stops, B's and C's namespaces and the host table are gone", async () => {
    await stack.close();
    closed = true;
    const left = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter((line) => line.startsWith(namespacePrefix(tag)));
    assert.deepEqual(left, []);
    await assert.rejects(run('nft', ['list', 'table', 'ip', hostTable(tag)]));
  });
});
