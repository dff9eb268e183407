import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
} from '@aws-sdk/client-ec2';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { runCliProcess, tempHome } from '../cli/support/cli-runner.js';
import { customerEndpoint, defaultVpcAndGroup } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { clusterWithAvailableService, privateEndpointSrv, registerAwsEndpoint, startStack, type Stack } from '../support/full-stack.js';

// Seed 01: "Connections to private endpoints within your VPC can be made transitively from another
// VPC peered to the private endpoint-connected VPC [and] an on-premises data center connected with
// DirectConnect to the private endpoint-connected VPC", and "Connections using private endpoints are
// one-way. Atlas VPCs can't initiate connections back to your VPCs." A client "in" a network is a
// process whose source address is in that network's loopback range; the gateway admits it only
// along a routed path (active peering with routes both ways, or the on-premises link) and when the
// endpoint's security group allows its address.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let cliHome: { home: string; cleanup(): void };
let srv: string;
let vpce: string;
let endpointAddress: string;
let customerVpc: { id: string; cidr: string; groupId: string };
let peered: { id: string; client: string };
let unrelated: { id: string; client: string };
let pcx: string;

/** The loopback address of private IP `10.x.y.z`'s low 16 bits in network `networkId`. */
async function hostIn(networkId: string, low: string): Promise<string> {
  const network = (await stack.running.localCloud!.snapshot()).networks.find((n) => n.networkId === networkId)!;
  return `127.${network.loopbackOctet}.${low}`;
}

async function allow(cidr: string): Promise<void> {
  await stack.customerEc2().send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: customerVpc.groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 65535, IpRanges: [{ CidrIp: cidr }] }],
    }),
  );
}

/** Pings through the endpoint with the official driver from `localAddress`: 'ok' or the error's name. */
async function pingFrom(localAddress: string, timeoutMs: number): Promise<string> {
  const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, localAddress, serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: 2000 });
  try {
    const answer = await client.db('admin').command({ ping: 1 });
    const hello = await client.db('admin').command({ hello: 1 });
    assert.equal(hello.hosts.length, 3);
    return answer.ok === 1 ? 'ok' : JSON.stringify(answer);
  } catch (error) {
    return (error as Error).name;
  } finally {
    await client.close();
  }
}

/** One TCP connection to `address:port` from `localAddress`: whether the far side kept it open. */
function attempt(address: string, port: number, localAddress: string): Promise<'connected' | 'refused'> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: address, port, localAddress });
    socket.once('connect', () => {
      // Accepted by the kernel; the gateway resets a refused connection at once, before reading.
      socket.once('close', () => resolve('refused'));
      setTimeout(() => {
        resolve(socket.destroyed ? 'refused' : 'connected');
        socket.destroy();
      }, 300);
    });
    socket.once('error', () => resolve('refused'));
  });
}

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  cliHome = tempHome();
  const { serviceId, serviceName } = await clusterWithAvailableService(stack);
  vpce = await customerEndpoint(stack.customerEc2(), serviceName, { openToVpc: true });
  await registerAwsEndpoint(stack, serviceId, vpce);
  srv = await privateEndpointSrv(stack);
  endpointAddress = (await stack.running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;

  const ec2 = stack.customerEc2();
  customerVpc = await defaultVpcAndGroup(ec2);
  const peeredId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
  const unrelatedId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
  peered = { id: peeredId, client: await hostIn(peeredId, '0.10') };
  unrelated = { id: unrelatedId, client: await hostIn(unrelatedId, '0.10') };
  // The endpoint's security group admits both ranges: only routing tells them apart.
  await allow('10.1.0.0/16');
  await allow('10.2.0.0/16');
  pcx = (await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: peeredId, PeerVpcId: customerVpc.id }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
});

after(async () => {
  dns?.restore();
  cliHome?.cleanup();
  await stack?.close();
});

const mainRouteTable = async (vpcId: string) =>
  (await stack.customerEc2().send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!.RouteTableId!;

describe('transitive reach through a VPC peering connection', () => {
  test('peering active but no route yet: the driver in the peered VPC cannot reach the endpoint', async () => {
    assert.equal(await pingFrom(peered.client, 1500), 'MongoServerSelectionError');
    assert.equal(await attempt(endpointAddress, 1024, peered.client), 'refused');
  });

  test('a route on one side only still carries nothing (the answers need a way back)', async () => {
    await stack.customerEc2().send(new CreateRouteCommand({ RouteTableId: await mainRouteTable(peered.id), DestinationCidrBlock: customerVpc.cidr, VpcPeeringConnectionId: pcx }));
    await new Promise((r) => setTimeout(r, 700)); // past the gateway's poll: the refusal below is not a stale rule set
    assert.equal(await attempt(endpointAddress, 1024, peered.client), 'refused');
  });

  test('with routes both ways, the official driver in the peered VPC connects through the endpoint', async () => {
    await stack
      .customerEc2()
      .send(new CreateRouteCommand({ RouteTableId: await mainRouteTable(customerVpc.id), DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: pcx }));
    assert.equal(await pingFrom(peered.client, 8000), 'ok');
  });

  test('a client in an unrelated VPC (allowed by the security group, but not peered) does not reach it', async () => {
    assert.equal(await pingFrom(unrelated.client, 1500), 'MongoServerSelectionError');
    assert.equal(await attempt(endpointAddress, 1024, unrelated.client), 'refused');
  });
});

describe('transitive reach from an on-premises network', () => {
  test('attached with `privlink localcloud aws attach-on-premises-network`, its hosts connect with the official driver', async () => {
    const result = await runCliProcess(
      ['localcloud', 'aws', 'attach-on-premises-network', '--vpc-id', customerVpc.id, '--cidr-block', '10.50.0.0/16', '--data-dir', stack.dataDir],
      {
        home: cliHome.home,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const line = /^(vgw-[0-9a-f]{17})\s+(\S+)\s+10\.50\.0\.0\/16\s+127\.(\d+)\.0\.0\/16$/m.exec(result.stdout);
    assert.ok(line, result.stdout);
    assert.equal(line[2], customerVpc.id);
    const onPremisesHost = `127.${line[3]}.7.20`;
    // Not yet allowed by the endpoint's security group.
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(await attempt(endpointAddress, 1024, onPremisesHost), 'refused');
    await allow('10.50.0.0/16');
    assert.equal(await pingFrom(onPremisesHost, 8000), 'ok');
  });
});

describe('one way', () => {
  test("the provider side cannot open a connection into the customer's VPC", async () => {
    const snapshot = await stack.running.localCloud!.snapshot();
    const provider = stack.bootstrap.localCloud!.provider.accountId;
    const balancers = snapshot.loadBalancers.filter((lb) => lb.accountId === provider && lb.active);
    assert.ok(balancers.length > 0);
    const ports = [...new Set(balancers.flatMap((lb) => lb.ports.map((p) => p.port)))];
    // From the load balancers' own addresses (the provider VPC) to the customer's endpoint address: refused.
    for (const lb of balancers) {
      for (const eni of lb.networkInterfaces) {
        for (const port of ports) assert.equal(await attempt(endpointAddress, port, eni.loopbackAddress), 'refused', `${eni.loopbackAddress} → ${endpointAddress}:${port}`);
      }
    }
    // Nothing listens on the provider side that would carry a connection back: the load balancers' addresses refuse.
    for (const lb of balancers) {
      for (const eni of lb.networkInterfaces) {
        for (const port of ports) assert.equal(await attempt(eni.loopbackAddress, port, '127.0.0.1'), 'refused', `${eni.loopbackAddress}:${port}`);
      }
    }
    // And routing has no path from a provider network into a customer network.
    const providerNetworks = new Set(snapshot.networks.filter((n) => n.accountId === provider).map((n) => n.networkId));
    const customerNetworks = new Set(snapshot.networks.filter((n) => n.accountId === stack.bootstrap.localCloud!.customer.accountId).map((n) => n.networkId));
    assert.ok((snapshot.reach ?? []).every((r) => !(providerNetworks.has(r.fromNetworkId) && customerNetworks.has(r.toNetworkId))));
    // Meanwhile the peered customer client still connects (the refusals above are about direction, not a dead endpoint).
    assert.equal(await attempt(endpointAddress, 1024, peered.client), 'connected');
  });
});
