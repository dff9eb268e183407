// The kernel data plane against direct loopback and the loopback gateway, on one connection: a
// privlink with PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel, a provider service whose load balancer port
// sends no PROXY header (a TCP sink/source behind it, its target), and a customer VPC endpoint to
// it. The same client process (bench/support/throughput-peer.ts) sends for BENCH_SECONDS, then
// receives for as long, over each path, the paths in turn, BENCH_ROUNDS rounds:
//   direct   a process on the host to the target's own address (the reference: no data plane)
//   kernel   a process inside the customer VPC's namespace (`ip netns exec`) to the endpoint's
//            private address: nftables in the namespace (security groups, source translation) and
//            on the host (destination translation to the target); the kernel carries the bytes
//   gateway  a process on the host with an address of the VPC (its loopback form) to the endpoint's
//            loopback address: privlink's own forwarder in the data-plane worker
// Goal: kernel ≥ 90 % of direct (the median of the rounds, each direction). Then the memory an idle
// connection costs the privlink process (RSS, BENCH_IDLE connections held open by one client, then
// closed), through the kernel and through the gateway: the kernel's connections hold none of
// privlink's memory (their state is the kernel's connection tracking).
// Needs Linux, root, `ip` and `nft`; prints why and stops where the host has not.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs kernel-data-plane).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { HostNetwork } from '../src/localcloud/kernel/host-network.js';
import { NAMESPACE_LIST_FILE, type NamespaceList } from '../src/localcloud/kernel/kernel-data-plane.js';
import { startBenchPrivlink, type BenchPrivlink } from './support/privlink-instance.js';
import { table, verdict } from './support/stats.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IDLE = Number(process.env.BENCH_IDLE ?? 2000);
const GOAL = 0.9;
const PEER = new URL('./support/throughput-peer.js', import.meta.url).pathname;

type PathName = 'direct' | 'kernel' | 'gateway';
interface Path {
  readonly name: PathName;
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /** The namespace the client runs in (kernel). */
  readonly namespace?: string;
}

async function main(): Promise<void> {
  const unavailable = await HostNetwork.unavailable();
  if (unavailable) {
    console.log(`verdict: not run — the kernel data plane cannot run on this host: ${unavailable}`);
    return;
  }
  const privlink = await startBenchPrivlink({ PRIVLINK_LOCALCLOUD_DATA_PLANE: 'kernel' });
  const children: ChildProcess[] = [];
  try {
    const paths = await setUp(privlink, children);
    console.log(`backend: ${privlink.backend}; ${SECONDS} s per direction, ${ROUNDS} rounds, paths in turn`);
    const results = new Map<PathName, { up: number[]; down: number[] }>(paths.map((p) => [p.name, { up: [], down: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts from another path, so no path is always first after a pause.
      const order = paths.map((_, i) => paths[(i + round) % paths.length]!);
      for (const path of order) {
        const result = results.get(path.name)!;
        result.up.push(await transfer(path, 'up'));
        result.down.push(await transfer(path, 'down'));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const direct = results.get('direct')!;
    console.log(
      table(
        ['path', 'up Gbit/s (rounds)', 'down Gbit/s (rounds)', 'median up / down', 'of direct up / down'],
        paths.map((p) => {
          const r = results.get(p.name)!;
          return [
            p.name,
            r.up.map((v) => v.toFixed(2)).join(', '),
            r.down.map((v) => v.toFixed(2)).join(', '),
            `${median(r.up).toFixed(2)} / ${median(r.down).toFixed(2)}`,
            `${percent(median(r.up) / median(direct.up))} / ${percent(median(r.down) / median(direct.down))}`,
          ];
        }),
      ),
    );
    const kernel = results.get('kernel')!;
    const upRatio = median(kernel.up) / median(direct.up);
    const downRatio = median(kernel.down) / median(direct.down);
    console.log(`goal: kernel ≥ ${percent(GOAL)} of direct loopback — up ${percent(upRatio)}, down ${percent(downRatio)}: ${verdict(upRatio >= GOAL && downRatio >= GOAL)}`);
    const idle: string[][] = [];
    for (const path of paths.filter((p) => p.name !== 'direct')) {
      const perConnection = await idleCost(path);
      idle.push([path.name, String(IDLE), `${(perConnection / 1024).toFixed(2)} KiB`]);
    }
    console.log(table(['path', 'idle connections', "privlink's RSS per connection"], idle));
  } finally {
    for (const child of children) child.kill();
    await privlink.close();
  }
}

/** The provider's service with a sink behind it, the customer's endpoint to it, and the three ways to reach it. */
async function setUp(privlink: BenchPrivlink, children: ChildProcess[]): Promise<Path[]> {
  const local = privlink.bootstrap.localCloud;
  const client = (account: 'provider' | 'customer') => ({
    endpoint: local.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: local[account].accessKeyId, secretAccessKey: local[account].secretAccessKey },
  });
  const providerEc2 = new EC2Client(client('provider'));
  const elb = new ElasticLoadBalancingV2Client(client('provider'));
  const customer = new EC2Client(client('customer'));
  try {
    const providerVpc = (await providerEc2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
    const providerSubnets = (await providerEc2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [providerVpc.VpcId!] }] }))).Subnets!;
    const targetIp = providerVpc.CidrBlock!.replace(/\.0\.0\/16$/, '.0.77');
    const octet = (await privlink.running.localCloud!.snapshot()).networks.find((n) => n.networkId === providerVpc.VpcId)!.loopbackOctet;
    const targetLoopback = `127.${octet}.0.77`;
    const server = spawn(process.execPath, [PEER, 'server', targetLoopback, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(server);
    const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
    const targetPort = Number(/^listening (\d+)$/.exec(line)![1]);
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'sink', Type: 'network', Scheme: 'internal', Subnets: providerSubnets.map((s) => s.SubnetId!) })))
      .LoadBalancers![0]!;
    const group = (await elb.send(new CreateTargetGroupCommand({ Name: 'sink', Protocol: 'TCP', Port: targetPort, VpcId: providerVpc.VpcId, TargetType: 'ip' }))).TargetGroups![0]!;
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: [{ Id: targetIp, Port: targetPort }] }));
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'TCP', Port: 7000, DefaultActions: [{ Type: 'forward', TargetGroupArn: group.TargetGroupArn }] }),
    );
    const service = (await providerEc2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [lb.LoadBalancerArn!], AcceptanceRequired: false })))
      .ServiceConfiguration!;
    await providerEc2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: service.ServiceId, AddAllowedPrincipals: ['*'] }));
    const vpc = (await customer.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
    const subnet = (await customer.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets![0]!;
    const defaultGroup = (
      await customer.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpc.VpcId!] },
            { Name: 'group-name', Values: ['default'] },
          ],
        }),
      )
    ).SecurityGroups![0]!;
    await customer.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: defaultGroup.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7000, ToPort: 7000, IpRanges: [{ CidrIp: vpc.CidrBlock }] }],
      }),
    );
    const vpce = (
      await customer.send(
        new CreateVpcEndpointCommand({
          VpcId: vpc.VpcId,
          ServiceName: service.ServiceName,
          VpcEndpointType: 'Interface',
          SubnetIds: [subnet.SubnetId!],
          SecurityGroupIds: [defaultGroup.GroupId!],
        }),
      )
    ).VpcEndpoint!.VpcEndpointId!;
    const deadline = Date.now() + 30_000;
    let eni;
    while (!eni) {
      const snapshot = await privlink.running.localCloud!.snapshot();
      eni = snapshot.endpoints.find((e) => e.endpointId === vpce && e.forwarding)?.networkInterfaces[0];
      if (Date.now() > deadline) throw new Error('the endpoint did not become available');
      if (!eni) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    let namespace: string | undefined;
    while (!namespace) {
      try {
        const list = JSON.parse(readFileSync(`${privlink.dataDir}/${NAMESPACE_LIST_FILE}`, 'utf8')) as NamespaceList;
        namespace = list.namespaces.find((n) => n.networkId === vpc.VpcId)?.namespace;
      } catch {
        // not written yet
      }
      if (Date.now() > deadline) throw new Error('the namespace of the customer VPC was not made');
      if (!namespace) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Wait until the kernel path answers (the host's rules follow the endpoint's change).
    while ((await transfer({ name: 'kernel', host: eni.privateIp, port: 7000, namespace }, 'down', 200).catch(() => 0)) === 0) {
      if (Date.now() > deadline) throw new Error('the kernel path does not answer');
    }
    const vpcClient = eni.loopbackAddress.replace(/\.\d+\.\d+$/, '.255.254');
    return [
      { name: 'direct', host: targetLoopback, port: targetPort },
      { name: 'kernel', host: eni.privateIp, port: 7000, namespace },
      { name: 'gateway', host: eni.loopbackAddress, port: 7000, localAddress: vpcClient },
    ];
  } finally {
    providerEc2.destroy();
    elb.destroy();
    customer.destroy();
  }
}

/** The client's command line for a path (inside its namespace when it has one). */
function clientCommand(path: Path, args: string[]): [string, string[]] {
  const node = [PEER, ...args];
  return path.namespace ? ['ip', ['netns', 'exec', path.namespace, process.execPath, ...node]] : [process.execPath, node];
}

/** One connection over `path` in one direction; Gbit/s. */
async function transfer(path: Path, direction: 'up' | 'down', ms = SECONDS * 1000): Promise<number> {
  const [command, args] = clientCommand(path, ['client', path.host, String(path.port), direction, String(ms), ...(path.localAddress ? [path.localAddress] : [])]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number];
  const result = JSON.parse(out.trim() || '{}') as { bytes?: number; seconds?: number; error?: string };
  if (code !== 0 || !result.bytes || !result.seconds) throw new Error(`${path.name} ${direction}: ${result.error ?? `exit ${code}`}`);
  return (result.bytes * 8) / result.seconds / 1e9;
}

/** The privlink process's RSS growth per connection while one client holds IDLE connections open over `path`. */
async function idleCost(path: Path): Promise<number> {
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rss();
  const [command, args] = clientCommand(path, ['idle', path.host, String(path.port), String(IDLE), ...(path.localAddress ? [path.localAddress] : [])]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  if (line !== `open ${IDLE}`) throw new Error(`${path.name}: ${line} of ${IDLE} idle connections opened`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const held = rss();
  child.stdin!.end();
  await once(child, 'close');
  await new Promise((resolve) => setTimeout(resolve, 500));
  return Math.max(0, held - before) / IDLE;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(0)} %`;
}

await main();
