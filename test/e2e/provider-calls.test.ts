import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DeleteListenerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createLogger } from '../../src/logging/logger.js';
import { CloudEndpointWatch, type CloudEndpointState } from '../../src/reconciler/cloud-endpoint-watch.js';
import { ACCEPT_RECHECK_MS, enqueueChangedEndpoints, type ChangedCloudEndpoint } from '../../src/reconciler/endpoint-change-enqueue.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { createAwsCluster, startStack, until, type Stack } from '../support/full-stack.js';
import { scrape } from '../support/prometheus-scrape.js';

// The AWS calls the reconciler's adapter sends, counted by a middleware on the real SDK clients.
const calls: string[] = [];
let stack: Stack;

/** A stack per group: the call counts run with the default resync, so that no periodic pass falls inside
 * the window they count; the drift test needs a short one. */
function withStack(env: Record<string, string>): void {
  before(async () => {
    stack = await startStack(env, { onProviderCall: (_provider, operation) => calls.push(operation) });
  });
  after(async () => stack?.close());
}

async function createService(region: string): Promise<string> {
  const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
  assert.equal(created.status, 201, created.text);
  const id = (created.json as { id: string }).id;
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  return id;
}

/** A new service in `region` and a customer VPC endpoint to it, registered and waited until `AVAILABLE`; its id. */
async function availableEndpoint(region: string): Promise<string> {
  const serviceId = await createService(region);
  const service = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`);
  const vpce = await customerEndpoint(stack.customerEc2(region), (service.json as { endpointServiceName: string }).endpointServiceName, { zone: `${region}a` });
  const path = `${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`;
  assert.equal((await stack.owner.post(path, { id: vpce })).status, 201);
  await until(
    () => stack.owner.get(`${path}/${vpce}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
  );
  return vpce;
}

async function listenersOf(serviceId: string) {
  const elb = stack.providerElb();
  const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [`pl-${serviceId}`] }))).LoadBalancers![0]!;
  return (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
}

/** Reconcile passes of `kind` that ended in a requeue so far (from the server's own metrics). */
async function requeuedPasses(kind: string): Promise<number> {
  return (await scrape(stack.running.apiUrl)).value('privlink_reconcile_passes_total', { kind, outcome: 'requeue' });
}

describe('AWS calls of the reconciler', () => {
  withStack({});

  test('one endpoint service, no cluster: create → AVAILABLE takes at most 9 AWS calls', async () => {
    calls.length = 0;
    await createService('eu-west-1');
    const made = [...calls];
    console.log(`create → AVAILABLE: ${made.length} AWS calls: ${made.join(', ')}`);
    assert.ok(made.length <= 9, `${made.length} calls: ${made.join(', ')}`);
    assert.equal(made.filter((c) => c === 'CreateLoadBalancer').length, 1);
    assert.equal(made.filter((c) => c === 'CreateVpcEndpointServiceConfiguration').length, 1);
  });

  test('a service and an endpoint the cloud makes at once are AVAILABLE from one pass each, with no confirming pass', async () => {
    const requeued = () => Promise.all(['endpoint-service', 'interface-endpoint'].map(requeuedPasses));
    const before = await requeued();
    await availableEndpoint('eu-central-1');
    assert.deepEqual(await requeued(), before, 'no pass of either was requeued to confirm what its calls had made');
  });

  test("a service for a cluster's nodes is AVAILABLE with its listeners from one pass, with no confirming pass", async () => {
    await createAwsCluster(stack, 'OnePass0');
    await until(
      () => stack.owner.get(`${stack.project}/clusters/OnePass0`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
    );
    const before = await requeuedPasses('endpoint-service');
    const serviceId = await createService('us-east-1');
    assert.equal((await listenersOf(serviceId)).length, 3, 'the three port-per-node listeners are there when the service is AVAILABLE');
    assert.equal(await requeuedPasses('endpoint-service'), before, 'the pass that made the service made its listeners too');
  });

  test('a cloud change an AVAILABLE registration already says is not reconciled again; any other is', async () => {
    const vpce = await availableEndpoint('ap-south-1');
    const log = createLogger('error');
    const enqueue = (change: { state: string; forwarding?: boolean }) => enqueueChangedEndpoints(stack.running.store, log, [{ cloud: 'AWS', endpointId: vpce, ...change }]);
    assert.equal(await enqueue({ state: 'available', forwarding: true }), 0, 'what the registration already says needs no pass');
    assert.equal(await enqueue({ state: 'available' }), 1, 'a feed that does not say whether it forwards is reconciled');
    assert.equal(await enqueue({ state: 'deleting', forwarding: false }), 1, 'an endpoint that stopped forwarding is reconciled');
  });

  test('a change saying an endpoint forwards while its registration awaits the accept is looked at again after a wait, then reconciled if still not AVAILABLE', async () => {
    // A registration the reconciler cannot accept (no such VPC endpoint in the cloud): it stays
    // PENDING_ACCEPTANCE for the not-found grace (5 s), as one whose accepting pass is running does.
    const serviceId = await createService('ca-central-1');
    const pending = `vpce-0${Date.now().toString(16).padStart(16, '0').slice(-16)}`;
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`;
    assert.equal((await stack.owner.post(path, { id: pending })).status, 201);
    assert.equal(((await stack.owner.get(`${path}/${pending}`)).json as { connectionStatus: string }).connectionStatus, 'PENDING_ACCEPTANCE');
    const forwards: CloudEndpointState = { cloud: 'AWS', endpointId: pending, state: 'available', forwarding: true };
    const log = createLogger('error');
    const deferred: ChangedCloudEndpoint[] = [];
    assert.equal(await enqueueChangedEndpoints(stack.running.store, log, [forwards], (e) => deferred.push(e)), 0, 'not reconciled at once');
    assert.deepEqual(deferred, [forwards], 'handed back to be looked at again');
    assert.equal(await enqueueChangedEndpoints(stack.running.store, log, [forwards]), 1, 'looked at again, still PENDING_ACCEPTANCE: reconciled');
    // The watch over the local cloud's feed does the looking again itself, once the wait is over.
    const lines: string[] = [];
    const watch = new CloudEndpointWatch(stack.running.store, createLogger('info', { pretty: false, write: (line) => lines.push(line) }));
    const enqueuedNow = () => lines.filter((line) => line.includes('cloud endpoint changed') && line.includes(pending)).length;
    await watch.observe([]);
    await watch.observe([forwards]);
    assert.equal(enqueuedNow(), 0, 'the watch waits before reconciling it');
    const deadline = Date.now() + ACCEPT_RECHECK_MS * 3;
    while (enqueuedNow() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(enqueuedNow(), 1, 'reconciled once the wait is over, the registration still PENDING_ACCEPTANCE');
    watch.stop();

    const available = await availableEndpoint('ap-northeast-1');
    const none: ChangedCloudEndpoint[] = [];
    assert.equal(await enqueueChangedEndpoints(stack.running.store, log, [{ cloud: 'AWS', endpointId: available, state: 'available', forwarding: true }], (e) => none.push(e)), 0);
    assert.deepEqual(none, [], 'an AVAILABLE registration is neither deferred nor reconciled');
  });

  test('a cloud change to a serverless private endpoint is reconciled unless its registration already says it', async () => {
    const instance = `${stack.project}/serverless`;
    const created = await stack.owner.post(instance, { name: 'Watched0', providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' } });
    assert.equal(created.status, 201, created.text);
    await until(
      () => stack.owner.get(`${instance}/Watched0`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
    );
    const endpoints = `${stack.project}/privateEndpoint/serverless/instance/Watched0/endpoint`;
    const before = await requeuedPasses('serverless-endpoint');
    const posted = await stack.owner.post(endpoints, {});
    assert.equal(posted.status, 201, posted.text);
    const id = (posted.json as { _id: string })._id;
    const reserved = await until(
      () => stack.owner.get(`${endpoints}/${id}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
    );
    assert.equal(await requeuedPasses('serverless-endpoint'), before, "the pass that made the endpoint's service made its front end's listeners too, and reserved it");
    const vpce = await customerEndpoint(stack.customerEc2(), (reserved.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
    assert.equal((await stack.owner.patch(`${endpoints}/${id}`, { cloudProviderEndpointId: vpce, providerName: 'AWS' })).status, 200);
    await until(
      () => stack.owner.get(`${endpoints}/${id}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    const log = createLogger('error');
    const enqueue = (change: { state: string; forwarding?: boolean }) => enqueueChangedEndpoints(stack.running.store, log, [{ cloud: 'AWS', endpointId: vpce, ...change }]);
    assert.equal(await enqueue({ state: 'available', forwarding: true }), 0, 'what the registration already says needs no pass');
    assert.equal(await enqueue({ state: 'deleting', forwarding: false }), 1, 'an endpoint that stopped forwarding is reconciled');
    assert.equal(
      await enqueueChangedEndpoints(stack.running.store, log, [{ cloud: 'AZURE', endpointId: vpce, state: 'deleting', forwarding: false }]),
      0,
      'the same id on another cloud is not this endpoint',
    );
  });
});

describe('drift repair by the periodic resync', () => {
  withStack({ PRIVLINK_RECONCILER_RESYNC_MS: '1500' });

  test('drift: a listener, its target group and a target removed in the cloud are back within one resync', async () => {
    await createAwsCluster(stack, 'Drift0');
    const serviceId = await createService('us-east-1');
    const deadline = Date.now() + 20_000;
    while ((await listenersOf(serviceId)).length < 3) {
      assert.ok(Date.now() < deadline, 'the three port-per-node listeners appear');
      await new Promise((r) => setTimeout(r, 100));
    }
    const elb = stack.providerElb();
    const [first, second] = (await listenersOf(serviceId)).sort((a, b) => a.Port! - b.Port!);
    const firstGroup = first!.DefaultActions![0]!.TargetGroupArn!;
    const secondGroup = second!.DefaultActions![0]!.TargetGroupArn!;
    const secondTargets = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: secondGroup }))).TargetHealthDescriptions!;
    await elb.send(new DeleteListenerCommand({ ListenerArn: first!.ListenerArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: firstGroup }));
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: secondGroup, Targets: secondTargets.map((d) => ({ Id: d.Target!.Id!, Port: d.Target!.Port })) }));
    assert.equal((await listenersOf(serviceId)).length, 2);

    const repaired = Date.now() + 3 * 1500 + 5_000;
    for (;;) {
      const listeners = await listenersOf(serviceId);
      const back = listeners.find((l) => l.Port === first!.Port);
      const targets = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: secondGroup }))).TargetHealthDescriptions ?? [];
      if (back && targets.length === secondTargets.length) {
        const group = back.DefaultActions![0]!.TargetGroupArn!;
        assert.notEqual(group, firstGroup, 'a new target group replaced the deleted one');
        const health = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group }))).TargetHealthDescriptions!;
        assert.equal(health.length, 1, 'the recreated group holds its node');
        break;
      }
      assert.ok(Date.now() < repaired, `drift not repaired: listeners ${listeners.map((l) => l.Port).join(',')}, targets of ${second!.Port}: ${targets.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
