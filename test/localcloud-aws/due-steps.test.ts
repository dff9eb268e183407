import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { sql } from 'kysely';
import { CreateLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createLocalCloudAws } from '../../src/localcloud/aws/local-cloud-aws.js';
import { defaultNetwork, providerService, startHarness, type Harness } from './harness.js';

// The emulator remembers when its first lazy step falls due and skips asking the store until
// then. These tests pin what must never be skipped: a step made due by this emulator's own
// change, a remembered time that has come, and a step another process (sharing the store) made.

async function createLoadBalancer(h: Harness, elb: ElasticLoadBalancingV2Client, name: string): Promise<string> {
  const ec2 = h.ec2(h.cloud.accounts.provider);
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Scheme: 'internal', Subnets: subnets.map((s) => s.SubnetId!) }))).LoadBalancers![0]!;
  assert.equal(lb.State?.Code, 'provisioning');
  return lb.LoadBalancerArn!;
}

async function stateOf(elb: ElasticLoadBalancingV2Client, arn: string): Promise<string | undefined> {
  return (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers![0]!.State?.Code;
}

test('a lazy step falls due on time after reads, and after the emulator’s own change', async (t) => {
  const h = await startHarness({ delays: 'realistic' });
  t.after(() => h.close());
  const elb = h.elb(h.cloud.accounts.provider);
  // Nothing pending yet: a read remembers that.
  await elb.send(new DescribeLoadBalancersCommand({}));
  // A change of this emulator's own: its step (150 s provisioning) is not hidden by what was remembered.
  const first = await createLoadBalancer(h, elb, 'due-a');
  assert.equal(await stateOf(elb, first), 'provisioning');
  h.advance(149_000);
  assert.equal(await stateOf(elb, first), 'provisioning', 'not due yet (remembered as due at 150 s)');
  h.advance(2_000);
  assert.equal(await stateOf(elb, first), 'active', 'the remembered time came: the step is applied');

  // A second one, made right after reads that remembered "nothing pending".
  await elb.send(new DescribeLoadBalancersCommand({}));
  const second = await createLoadBalancer(h, elb, 'due-b');
  h.advance(151_000);
  assert.equal(await stateOf(elb, second), 'active');
});

test('a step another emulator on the same store made due is applied once its change is announced', async (t) => {
  const h = await startHarness({ delays: 'realistic' });
  t.after(() => h.close());
  // A second emulator process on the same store and clock.
  const other = await createLocalCloudAws({ store: h.testStore.store, delays: 'realistic', loopbackBase: 100, now: h.now });
  const served = await other.listen('127.0.0.1', 0);
  t.after(async () => {
    await served.close();
    await other.close();
  });
  const here = h.elb(h.cloud.accounts.provider);
  const there = new ElasticLoadBalancingV2Client({
    endpoint: served.url,
    region: 'us-east-1',
    credentials: { accessKeyId: h.cloud.accounts.provider.accessKeyId, secretAccessKey: h.cloud.accounts.provider.secretAccessKey },
    maxAttempts: 1,
  });
  t.after(() => there.destroy());

  // This emulator remembers "nothing pending"; the other makes a load balancer.
  await here.send(new DescribeLoadBalancersCommand({}));
  const made = await createLoadBalancer(h, there, 'due-other');
  h.advance(151_000);
  // The other's announcement reaches this emulator asynchronously: within a second here.
  let state: string | undefined;
  for (const started = Date.now(); Date.now() - started < 3000; await sleep(20)) {
    state = await stateOf(here, made);
    if (state === 'active') break;
  }
  assert.equal(state, 'active', 'this emulator applied the step the other made due');
});

test('with instant delays a step made due by a change is applied in that change: its answer shows the first state, the store the next', async (t) => {
  const h = await startHarness({ delays: 'instant' });
  t.after(() => h.close());
  const elb = h.elb(h.cloud.accounts.provider);
  const arn = await createLoadBalancer(h, elb, 'due-now'); // answered `provisioning`
  assert.equal(await stateOf(elb, arn), 'active');
  await sleep(200); // the data plane has followed the change (it would apply a step left due)
  // Every change to the load balancer's row was made by one transaction (`at` is its start time):
  // the step was not left for a later request or for the data plane's read to apply.
  const writes = await sql<{ at: Date }>`select distinct at from lc_dataplane_changes where tbl = 'lc_load_balancers' and key = ${arn}`.execute(h.testStore.store.db);
  assert.equal(writes.rows.length, 1, `the load balancer's row was written by ${writes.rows.length} transactions`);
  const row = await sql<{ state: string; next_state: string | null }>`select state, next_state from lc_load_balancers where arn = ${arn}`.execute(h.testStore.store.db);
  assert.deepEqual(row.rows[0], { state: 'active', next_state: null });
});

test('with instant delays a create or an accept writes its row once, already past the step, while its answer shows the first state', async (t) => {
  const h = await startHarness({ delays: 'instant' });
  t.after(() => h.close());
  const db = h.testStore.store.db;
  // Every write of a row notes one change (the data plane's trigger): a row written and then
  // advanced in the same request would note two.
  const writes = async (table: string, key: string) =>
    Number((await sql<{ n: string }>`select count(*) as n from lc_dataplane_changes where tbl = ${table} and key = ${key}`.execute(db)).rows[0]!.n);
  const timing = async (table: string, column: string, key: string) =>
    (await sql<{ state: string; next_state: string | null }>`select state, next_state from ${sql.table(table)} where ${sql.ref(column)} = ${key}`.execute(db)).rows[0];

  const svc = await providerService(h, { name: 'once', acceptanceRequired: true });
  assert.deepEqual(await timing('lc_load_balancers', 'arn', svc.loadBalancerArn), { state: 'active', next_state: null });
  assert.equal(await writes('lc_load_balancers', svc.loadBalancerArn), 1);
  assert.deepEqual(await timing('lc_endpoint_services', 'service_id', svc.serviceId), { state: 'Available', next_state: null });
  assert.equal(await writes('lc_endpoint_services', svc.serviceId), 1);
  // A service written straight as Available records when it became so (CreateVpcEndpoint's 503 window starts there).
  const availableAt = (await sql<{ available_at: Date | null }>`select available_at from lc_endpoint_services where service_id = ${svc.serviceId}`.execute(db)).rows[0]!
    .available_at;
  assert.ok(availableAt instanceof Date, 'available_at recorded');

  // The create's answer still shows Pending.
  const provider = h.ec2(h.cloud.accounts.provider);
  const second = await createLoadBalancer(h, h.elb(h.cloud.accounts.provider), 'once-b');
  const configuration = (await provider.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [second] }))).ServiceConfiguration!;
  assert.equal(configuration.ServiceState, 'Pending');
  assert.deepEqual(await timing('lc_endpoint_services', 'service_id', configuration.ServiceId!), { state: 'Available', next_state: null });

  // An endpoint that waits for acceptance, then is accepted: two writes, the accept's already `available`.
  const customer = h.cloud.accounts.customer;
  const network = await defaultNetwork(h, customer);
  const ec2 = h.ec2(customer);
  const create = (serviceName: string) =>
    ec2.send(new CreateVpcEndpointCommand({ VpcId: network.vpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [network.subnetByZone.get(svc.zones[0]!)!] }));
  const waiting = (await create(svc.serviceName)).VpcEndpoint!;
  assert.equal(waiting.State, 'pendingAcceptance');
  await provider.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.serviceId, VpcEndpointIds: [waiting.VpcEndpointId!] }));
  assert.deepEqual(await timing('lc_vpc_endpoints', 'vpc_endpoint_id', waiting.VpcEndpointId!), { state: 'available', next_state: null });
  assert.equal(await writes('lc_vpc_endpoints', waiting.VpcEndpointId!), 2);

  // An endpoint of a service without acceptance: answered `pending`, written once as `available`.
  const open = await providerService(h, { name: 'once-open', acceptanceRequired: false });
  const direct = (await create(open.serviceName)).VpcEndpoint!;
  assert.equal(direct.State, 'pending');
  assert.deepEqual(await timing('lc_vpc_endpoints', 'vpc_endpoint_id', direct.VpcEndpointId!), { state: 'available', next_state: null });
  assert.equal(await writes('lc_vpc_endpoints', direct.VpcEndpointId!), 1);
});

test('with delays a change leaves its step to fall due later', async (t) => {
  const h = await startHarness({ delays: 'realistic' });
  t.after(() => h.close());
  const elb = h.elb(h.cloud.accounts.provider);
  const arn = await createLoadBalancer(h, elb, 'due-later');
  const row = await sql<{ state: string; next_state: string | null }>`select state, next_state from lc_load_balancers where arn = ${arn}`.execute(h.testStore.store.db);
  assert.deepEqual(row.rows[0], { state: 'provisioning', next_state: 'active' });
});
