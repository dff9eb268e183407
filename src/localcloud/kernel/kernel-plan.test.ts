import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import type { DataPlaneSnapshot, SnapshotEndpoint, SnapshotLoadBalancer, SnapshotNetwork, SnapshotSecurityGroup, SnapshotService } from '../common/data-plane-snapshot.js';
import { HostNetwork } from './host-network.js';
import { HOST_LINK_ADDRESS, kernelPlan, namespaceName, vethPrefix } from './kernel-plan.js';

const network = (networkId: string, cidrBlock: string, extra: Partial<SnapshotNetwork> = {}): SnapshotNetwork => ({
  cloud: 'AWS',
  networkId,
  accountId: '222222222222',
  region: 'us-east-1',
  cidrBlock,
  isDefault: true,
  loopbackOctet: 101,
  ...extra,
});

const balancer = (id: string, ports: Array<{ port: number; proxyProtocol?: boolean; targets: string[] }>): SnapshotLoadBalancer => ({
  cloud: 'AWS',
  loadBalancerId: id,
  name: id,
  accountId: '111111111111',
  region: 'us-east-1',
  networkId: 'vpc-provider',
  active: true,
  dnsName: null,
  securityGroupIds: [],
  networkInterfaces: [],
  ports: ports.map((p) => ({
    id: `${id}/${p.port}`,
    port: p.port,
    protocol: 'TCP',
    proxyProtocol: p.proxyProtocol ?? false,
    targets: p.targets.map((t) => ({ id: t.split(':')[0]!, port: Number(t.split(':')[1]), availabilityZone: null, loopbackAddress: t.split(':')[0]! })),
  })),
});

const service = (id: string, loadBalancerIds: string[]): SnapshotService => ({
  cloud: 'AWS',
  serviceId: id,
  serviceName: `com.amazonaws.vpce.us-east-1.${id}`,
  accountId: '111111111111',
  region: 'us-east-1',
  state: 'Available',
  acceptanceRequired: false,
  loadBalancerIds,
  availabilityZones: [],
  allowedPrincipals: [],
  proxyProtocol: false,
});

const endpoint = (id: string, serviceId: string, networkId: string, privateIp: string, loopbackAddress: string, extra: Partial<SnapshotEndpoint> = {}): SnapshotEndpoint => ({
  cloud: 'AWS',
  endpointId: id,
  accountId: '222222222222',
  region: 'us-east-1',
  networkId,
  serviceId,
  serviceName: `com.amazonaws.vpce.us-east-1.${serviceId}`,
  state: 'available',
  forwarding: true,
  securityGroupIds: ['sg-1'],
  networkInterfaces: [{ networkInterfaceId: `eni-${id}`, networkId, subnetId: 'subnet-1', availabilityZone: 'us-east-1a', privateIp, loopbackAddress }],
  dnsNames: [],
  proxyTlv: { kind: 'aws-vpce-id', vpceId: id },
  ...extra,
});

const group = (groupId: string, networkId: string, cidrs: Array<string | null>, ports: [number, number] = [1024, 65535]): SnapshotSecurityGroup => ({
  cloud: 'AWS',
  groupId,
  groupName: groupId,
  networkId,
  accountId: '222222222222',
  region: 'us-east-1',
  ingress: cidrs.map((cidr) => ({ ipProtocol: 'tcp', fromPort: ports[0], toPort: ports[1], cidrIpv4: cidr, referencedGroupId: cidr === null ? 'sg-other' : null })),
  egress: [],
});

function picture(parts: Partial<DataPlaneSnapshot> = {}): DataPlaneSnapshot {
  return {
    takenAt: new Date(0),
    nextTransitionAt: null,
    networks: [network('vpc-a', '172.31.0.0/16'), network('vpc-b', '10.1.0.0/16', { loopbackOctet: 102 }), network('onprem', '192.168.0.0/16', { kind: 'on-premises' })],
    securityGroups: [group('sg-1', 'vpc-a', ['172.31.0.0/16'])],
    loadBalancers: [
      balancer('lb-1', [
        { port: 1024, proxyProtocol: true, targets: ['127.103.0.10:27017'] },
        { port: 7000, targets: ['127.103.0.11:7000', '127.103.0.12:7000'] },
      ]),
    ],
    services: [service('svc-1', ['lb-1'])],
    endpoints: [endpoint('vpce-1', 'svc-1', 'vpc-a', '172.31.16.5', '127.101.16.5')],
    reach: [],
    ...parts,
  };
}

const OPTIONS = { tag: 'abcde', dnsPort: 5353 };

test('one namespace per cloud network, none for an on-premises network; names, links and client addresses are stable and fit the host', () => {
  const plan = kernelPlan(picture(), OPTIONS);
  assert.deepEqual([...plan.namespaces.values()].map((n) => n.networkId).sort(), ['vpc-a', 'vpc-b']);
  const a = plan.namespaces.get(namespaceName('abcde', 'vpc-a'))!;
  assert.equal(a.clientAddress, '172.31.255.254');
  assert.equal(a.resolverAddress, '172.31.0.2', "AWS: the VPC block's base plus two");
  assert.match(a.linkAddress, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+$/);
  assert.notEqual(a.linkAddress, HOST_LINK_ADDRESS);
  assert.ok(a.vethName.length <= 15 && a.vethName.startsWith(vethPrefix('abcde')));
  assert.deepEqual(kernelPlan(picture(), OPTIONS), plan, 'the same picture gives the same plan');
  const other = kernelPlan(picture(), { ...OPTIONS, tag: 'fffff' }).namespaces.get(namespaceName('fffff', 'vpc-a'))!;
  assert.notEqual(other.linkAddress, a.linkAddress, "another privlink's namespace of the same network has another link address");
  assert.notEqual(other.vethName, a.vethName);
});

test('a port without a PROXY header goes to its targets round robin; a port with one goes to the gateway listener of the interface', () => {
  const { hostScript } = kernelPlan(picture(), OPTIONS);
  const veth = kernelPlan(picture(), OPTIONS).namespaces.get(namespaceName('abcde', 'vpc-a'))!.vethName;
  assert.match(hostScript, new RegExp(`"${veth}" \\. 172\\.31\\.16\\.5 \\. 7000 : jump (to_\\d+)`));
  const fast = new RegExp(`"${veth}" \\. 172\\.31\\.16\\.5 \\. 7000 : jump (to_\\d+)`).exec(hostScript)![1]!;
  const proxied = new RegExp(`"${veth}" \\. 172\\.31\\.16\\.5 \\. 1024 : jump (to_\\d+)`).exec(hostScript)![1]!;
  assert.match(
    hostScript,
    new RegExp(`chain ${fast} \\{\\n    meta l4proto tcp dnat to numgen inc mod 2 map \\{ 0 : 127\\.103\\.0\\.11 \\. 7000, 1 : 127\\.103\\.0\\.12 \\. 7000 \\}`),
  );
  assert.match(hostScript, new RegExp(`chain ${proxied} \\{\\n    meta l4proto tcp dnat to 127\\.101\\.16\\.5:1024\\n`));
  // The host accepts only what it translated from a namespace, and routes nothing from or to one.
  assert.match(hostScript, /chain in \{\n[^}]*iifname "pkabcde\*" ct status dnat accept\n {4}iifname "pkabcde\*" drop\n/);
  assert.match(hostScript, /chain forward \{\n[^}]*iifname "pkabcde\*" drop\n {4}oifname "pkabcde\*" drop\n/);
  // The service asking for a header on every port (Azure, GCP) sends every port through the gateway.
  const everyPort = kernelPlan(picture({ services: [{ ...service('svc-1', ['lb-1']), proxyProtocol: true }] }), OPTIONS).hostScript;
  assert.doesNotMatch(everyPort, /numgen/);
  assert.match(everyPort, /dnat to 127\.101\.16\.5:7000/);
});

test("the endpoint's security groups are the namespace's rules: their blocks admitted, the rest reset", () => {
  const a = kernelPlan(picture(), OPTIONS).namespaces.get(namespaceName('abcde', 'vpc-a'))!;
  assert.match(a.script, /ip daddr \. tcp dport vmap \{ 172\.31\.16\.5 \. 1024 : jump allow_0, 172\.31\.16\.5 \. 7000 : jump allow_0 \}/);
  assert.match(a.script, /chain allow_0 \{\n {4}ip saddr \{ 172\.31\.0\.0\/16 \} accept\n {4}meta l4proto tcp reject with tcp reset\n/);
  assert.match(a.script, new RegExp(`snat to ${a.linkAddress.replace(/\./g, '\\.')}`));
  // Rules that name a group, or ports outside every rule, admit nothing.
  const closed = kernelPlan(picture({ securityGroups: [group('sg-1', 'vpc-a', [null]), group('sg-2', 'vpc-a', ['0.0.0.0/0'], [1, 1023])] }), OPTIONS).namespaces.get(
    namespaceName('abcde', 'vpc-a'),
  )!;
  assert.match(closed.script, /chain allow_0 \{\n {4}meta l4proto tcp reject with tcp reset\n/);
  assert.doesNotMatch(closed.script, /saddr/);
});

test('only forwarding endpoints, of the network itself or of a network a routed path leads to', () => {
  const b = () => (snapshot: DataPlaneSnapshot) => kernelPlan(snapshot, OPTIONS).namespaces.get(namespaceName('abcde', 'vpc-b'))!.script;
  assert.doesNotMatch(b()(picture()), /172\.31\.16\.5/, 'another network without a route');
  const peered = picture({ reach: [{ fromNetworkId: 'vpc-b', fromCidr: '10.1.0.0/16', toNetworkId: 'vpc-a', toCidr: '172.31.0.0/16', via: 'pcx-1' }] });
  assert.match(b()(peered), /172\.31\.16\.5 \. 1024/);
  const rejected = picture({ endpoints: [endpoint('vpce-1', 'svc-1', 'vpc-a', '172.31.16.5', '127.101.16.5', { forwarding: false, state: 'rejected' })] });
  assert.doesNotMatch(kernelPlan(rejected, OPTIONS).namespaces.get(namespaceName('abcde', 'vpc-a'))!.script, /vmap/);
  assert.doesNotMatch(kernelPlan(rejected, OPTIONS).hostScript, /vmap/);
});

test("nothing of the picture's text reaches a script unparsed", () => {
  const hostile = picture({
    securityGroups: [group('sg-1', 'vpc-a', ['0.0.0.0/0 } accept; chain x {', '172.31.0.0/16'])],
    endpoints: [endpoint('vpce-1', 'svc-1', 'vpc-a', '172.31.16.5; flush ruleset', '127.101.16.5')],
    networks: [network('vpc-a"; flush ruleset', '172.31.0.0/16')],
  });
  const plan = kernelPlan(hostile, OPTIONS);
  for (const text of [plan.hostScript, ...[...plan.namespaces.values()].map((n) => n.script)]) assert.doesNotMatch(text, /flush|chain x/);
});

const unavailable = await HostNetwork.unavailable();

test('nftables accepts every script the plan writes (checked, not applied)', { skip: unavailable ? `nft cannot check scripts here: ${unavailable}` : false }, async () => {
  const peered = picture({ reach: [{ fromNetworkId: 'vpc-b', fromCidr: '10.1.0.0/16', toNetworkId: 'vpc-a', toCidr: '172.31.0.0/16', via: 'pcx-1' }] });
  const plan = kernelPlan(peered, OPTIONS);
  const empty = kernelPlan(picture({ endpoints: [] }), OPTIONS);
  for (const script of [plan.hostScript, empty.hostScript, ...[...plan.namespaces.values(), ...empty.namespaces.values()].map((n) => n.script)]) {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('nft', ['-c', '-f', '-']);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
      child.stdin.end(script);
    });
    assert.equal(code, 0, `${stderr}\n${script}`);
  }
});
