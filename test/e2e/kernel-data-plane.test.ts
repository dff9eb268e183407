import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateVpcEndpointCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeSubnetsCommand as ProviderSubnets,
  DescribeVpcsCommand as ProviderVpcs,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { HostNetwork } from '../../src/localcloud/kernel/host-network.js';
import { hostTable, instanceTag, namespaceName, namespacePrefix, vethPrefix } from '../../src/localcloud/kernel/kernel-plan.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { clusterWithAvailableService, privateEndpointSrv, registerAwsEndpoint, startStack, type Stack } from '../support/full-stack.js';
import { CLI } from '../support/server-process.js';
import { clientInNetwork, eventually, inNetwork, type Seen } from '../support/namespace-client.js';

// The kernel data plane (PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel): the customer's VPC is a network
// namespace, and a process run in it with `privlink localcloud exec` reaches the endpoint at its
// real private address, resolves the cluster's private-endpoint-aware names through the VPC's
// resolver, and nothing else. The same flow as connect-through-endpoint.test.ts, from inside the VPC.
const run = promisify(execFile);
const unavailable = await HostNetwork.unavailable();
const skip = unavailable ? `the kernel data plane cannot run on this host: ${unavailable}` : false;

let stack: Stack;
let tag: string;
let vpcId: string;
let vpce: string;
let endpointIp: string;
let srv: string;
let echoVpce: string;
let echoIp: string;
let inSubnet: string;
/** The PROXY protocol v2 signature. */
const PROXY_V2 = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
let echo: Server | undefined;
let closed = false;

/** Runs a command inside the customer VPC through the CLI; its standard output. */
function inVpc(...command: string[]): Promise<string> {
  return inNetwork(stack.dataDir, vpcId, ...command);
}

function client(...args: string[]): Promise<Seen> {
  return clientInNetwork(stack.dataDir, vpcId, ...args);
}

before(async () => {
  if (skip) return;
  stack = await startStack({ PRIVLINK_LOCALCLOUD_DATA_PLANE: 'kernel' });
  tag = instanceTag(stack.dataDir);
  const { serviceId, serviceName } = await clusterWithAvailableService(stack);
  vpce = await customerEndpoint(stack.customerEc2(), serviceName, { openToVpc: true });
  await registerAwsEndpoint(stack, serviceId, vpce);
  srv = await privateEndpointSrv(stack);
  const snapshot = await stack.running.localCloud!.snapshot();
  const endpoint = snapshot.endpoints.find((e) => e.endpointId === vpce)!;
  vpcId = endpoint.networkId;
  endpointIp = endpoint.networkInterfaces[0]!.privateIp;
  await eventually('the kernel data plane', async () => existsSync(`/run/netns/${namespaceName(tag, vpcId)}`));

  // A service of the provider's own: an echo server behind a network load balancer, on port 7000
  // without a PROXY header (the kernel carries it) and on 7001 with one (the gateway adds it),
  // reached by the customer through a second endpoint whose security group admits only its
  // subnet's block (the namespace's own address is outside it; a second address inside).
  const providerEc2 = stack.providerEc2();
  const elb = stack.providerElb();
  const providerVpc = (await providerEc2.send(new ProviderVpcs({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const providerSubnets = (await providerEc2.send(new ProviderSubnets({ Filters: [{ Name: 'vpc-id', Values: [providerVpc.VpcId!] }] }))).Subnets!;
  const targetIp = providerVpc.CidrBlock!.replace(/\.0\.0\/16$/, '.0.77');
  const octet = (await stack.running.localCloud!.snapshot()).networks.find((n) => n.networkId === providerVpc.VpcId)!.loopbackOctet;
  const targetLoopback = `127.${octet}.${targetIp.split('.')[2]}.${targetIp.split('.')[3]}`;
  echo = createServer((socket) =>
    socket.once('data', (first: Buffer) => socket.end(`echo from ${socket.localAddress} to ${socket.remoteAddress} proxy=${first.subarray(0, 12).equals(PROXY_V2)}\n`)),
  );
  await new Promise<void>((resolve) => echo!.listen(0, targetLoopback, resolve));
  const echoPort = (echo.address() as { port: number }).port;
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'echo', Type: 'network', Scheme: 'internal', Subnets: providerSubnets.map((s) => s.SubnetId!) })))
    .LoadBalancers![0]!;
  for (const [port, proxy] of [
    [7000, false],
    [7001, true],
  ] as const) {
    const group = (await elb.send(new CreateTargetGroupCommand({ Name: `echo-${port}`, Protocol: 'TCP', Port: echoPort, VpcId: providerVpc.VpcId, TargetType: 'ip' })))
      .TargetGroups![0]!;
    if (proxy) await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group.TargetGroupArn, Attributes: [{ Key: 'proxy_protocol_v2.enabled', Value: 'true' }] }));
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: targetIp, Port: echoPort }] }));
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'TCP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }] }),
    );
  }
  const echoService = (await providerEc2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [lb.LoadBalancerArn!], AcceptanceRequired: false })))
    .ServiceConfiguration!;
  await providerEc2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: echoService.ServiceId, AddAllowedPrincipals: ['*'] }));
  const customer = stack.customerEc2();
  const vpc = (await customer.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const subnet = (
    await customer.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
          { Name: 'availability-zone', Values: ['us-east-1a'] },
        ],
      }),
    )
  ).Subnets![0]!;
  const subnetOnly = (await customer.send(new CreateSecurityGroupCommand({ GroupName: 'echo-subnet-only', Description: 'echo from one subnet', VpcId: vpc.VpcId }))).GroupId!;
  await customer.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: subnetOnly,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7001, IpRanges: [{ CidrIp: subnet.CidrBlock }] }],
    }),
  );
  echoVpce = (
    await customer.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.VpcId,
        ServiceName: echoService.ServiceName,
        VpcEndpointType: 'Interface',
        SubnetIds: [subnet.SubnetId!],
        SecurityGroupIds: [subnetOnly],
      }),
    )
  ).VpcEndpoint!.VpcEndpointId!;
  await eventually('the kernel data plane', async () => (await stack.running.localCloud!.snapshot()).endpoints.some((e) => e.endpointId === echoVpce && e.forwarding));
  echoIp = (await stack.running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === echoVpce)!.networkInterfaces[0]!.privateIp;
  // A second address of the namespace, inside the subnet (the emulator hands out addresses from the subnet's start).
  inSubnet = subnet.CidrBlock!.replace(/\.\d+\/\d+$/, '.200');
  await run('ip', ['-n', namespaceName(tag, vpcId), 'addr', 'add', `${inSubnet}/32`, 'dev', 'eth0']);
});

after(async () => {
  echo?.close();
  if (!closed) await stack?.close();
});

describe('kernel data plane', { skip }, () => {
  test("the VPC's resolver answers the endpoint's private address, not a loopback one", async () => {
    const host = srv.replace('mongodb+srv://cluster0-pl-0.', 'pl-0-us-east-1.');
    assert.deepEqual((await inVpc('dig', '+short', 'A', host)).trim().split('\n'), [endpointIp]);
    // AWS's Route 53 Resolver answers at its link-local address too.
    assert.deepEqual((await inVpc('dig', '@169.254.169.253', '+short', 'A', host)).trim().split('\n'), [endpointIp]);
    const records = (await inVpc('dig', '+short', 'SRV', `_mongodb._tcp.${srv.replace('mongodb+srv://', '')}`)).trim().split('\n').sort();
    assert.deepEqual(records, [`0 0 1024 ${host}.`, `0 0 1025 ${host}.`, `0 0 1026 ${host}.`]);
  });

  test('the official driver inside the VPC: SRV string, ping and hello under the endpoint names', async () => {
    const seen = await client('mongo', `${srv}/?tls=false`);
    assert.equal(seen.outcome, 'ok', seen.message);
    assert.deepEqual(seen.ping, { ok: 1 });
    assert.match(seen.me!, /^pl-0-us-east-1\./);
  });

  test('a port without a PROXY header is carried by the kernel to its target (the target sees the namespace link address)', async () => {
    const seen = await client('tcp', echoIp, '7000', inSubnet);
    assert.equal(seen.outcome, 'data', JSON.stringify(seen));
    assert.match(seen.data!, /^echo from 127\.\d+\.0\.77 to 100\.\d+\.\d+\.\d+ proxy=false\n$/);
  });

  test('a port with a PROXY header goes through the gateway, which writes it and admits what the namespace admitted', async () => {
    const seen = await client('tcp', echoIp, '7001', inSubnet);
    assert.equal(seen.outcome, 'data', JSON.stringify(seen));
    assert.match(seen.data!, /^echo from 127\.\d+\.0\.77 to 127\.\d+\.\d+\.\d+ proxy=true\n$/);
  });

  test('one way: nothing but the endpoints and the resolver is reachable from the VPC', async () => {
    const admin = new URL(stack.running.apiUrl);
    for (const host of ['100.64.0.1', '127.0.0.1']) {
      const seen = await client('tcp', host, admin.port);
      assert.notEqual(seen.outcome, 'data', `the Admin API answered at ${host}`);
    }
    // A port the endpoint does not serve, and an address of no endpoint.
    assert.equal((await client('tcp', endpointIp, '1099')).code, 'ECONNREFUSED');
    assert.equal((await client('tcp', endpointIp.replace(/\.\d+$/, '.201'), '1024')).code, 'ECONNREFUSED');
  });

  test("the endpoint's security groups decide on the process's own address", async () => {
    // The echo endpoint's group admits its subnet's block only: the namespace's default address is outside it.
    for (const port of ['7000', '7001']) assert.equal((await client('tcp', echoIp, port)).code, 'ECONNREFUSED', `port ${port}`);
    // The cluster's endpoint has the default group, which admits TCP 1024-65535 from the VPC's block (customerEndpoint's rule): 10.99.0.5 is outside it.
    await run('ip', ['-n', namespaceName(tag, vpcId), 'addr', 'add', '10.99.0.5/32', 'dev', 'eth0']);
    const seen = await client('tcp', endpointIp, '1024', '10.99.0.5');
    assert.equal(seen.code, 'ECONNREFUSED', JSON.stringify(seen));
  });

  test('the namespaces are listed for the CLI (0600); an unknown network is a clear error', async () => {
    const file = join(stack.dataDir, 'kernel-namespaces.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const listed = JSON.parse(readFileSync(file, 'utf8')) as { namespaces: Array<{ networkId: string; namespace: string }> };
    assert.ok(listed.namespaces.some((n) => n.networkId === vpcId && n.namespace === namespaceName(tag, vpcId)));
    const failed = await run('node', [CLI, 'localcloud', 'exec', '--vpc', 'vpc-0000000000000000f', '--data-dir', stack.dataDir, '--', 'true']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    assert.ok(failed && failed.code !== 0);
    assert.match(failed.stderr, new RegExp(`the local cloud has no network vpc-0000000000000000f; its networks: .*${vpcId}`));
  });

  test("the host itself drops what a namespace sends it, even once a process there removes the namespace's rules", async () => {
    const host = createServer((socket) => socket.end('host service\n'));
    await new Promise<void>((resolve) => host.listen(0, '0.0.0.0', resolve));
    try {
      const port = String((host.address() as { port: number }).port);
      const ns = namespaceName(tag, vpcId);
      const link = (await run('ip', ['-n', ns, '-4', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout.match(/inet (100\.\d+\.\d+\.\d+)\/32/)![1]!;
      await run('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'ip', 'privlink']);
      // Nor over IPv6, which the rules do not cover: the link has no IPv6 address on either end.
      assert.doesNotMatch((await run('ip', ['-n', ns, '-6', 'addr', 'show', 'dev', 'eth0'])).stdout, /inet6/);
      const links = JSON.parse((await run('ip', ['-j', '-6', 'addr', 'show'])).stdout) as Array<{ ifname: string; addr_info: unknown[] }>;
      const ours = links.filter((l) => (l.ifname ?? '').startsWith(vethPrefix(tag)));
      assert.ok(ours.length > 0 || (await run('ip', ['-o', 'link', 'show', 'type', 'veth'])).stdout.includes(vethPrefix(tag)), 'the host sides of the links are there');
      assert.deepEqual(
        ours.filter((l) => l.addr_info.length > 0).map((l) => l.ifname),
        [],
      );
      const seen = await client('tcp', '100.64.0.1', port, link);
      assert.notEqual(seen.outcome, 'data', JSON.stringify(seen));
    } finally {
      host.close();
    }
  });

  test('once privlink stops, its namespaces and its table are gone', async () => {
    await stack.close();
    closed = true;
    const left = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter((line) => line.startsWith(namespacePrefix(tag)));
    assert.deepEqual(left, []);
    await assert.rejects(run('nft', ['list', 'table', 'ip', hostTable(tag)]));
  });
});
