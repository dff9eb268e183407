import assert from 'node:assert/strict';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { DeleteListenerCommand, DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { newObjectId } from '../../src/domain/object-id.js';
import type { CloudProviderAdapter, EndpointServiceSpec } from '../../src/providers/cloud-provider.js';
import { AwsClientPool } from '../../src/providers/aws/aws-clients.js';
import { AwsProvider } from '../../src/providers/aws/aws.provider.js';
import { startHarness, type Harness } from '../localcloud-aws/harness.js';

// The rounds of AWS calls an observation or a listener sync takes, seen on the wire by a
// pass-through in front of the local cloud that holds its answers: a round is the calls sent
// before the answers to the ones before them. The pass-through answers a round once as many calls
// as expected have arrived in it (or after a second, which a later round then shows).

let h: Harness;
let adapter: CloudProviderAdapter;
let pool: AwsClientPool;
let proxy: ReturnType<typeof createServer>;
const agent = new Agent({ keepAlive: true });
/** Each call's action and the round it arrived in. */
const calls: Array<{ action: string; round: number }> = [];
let round = 0;
/** How many calls each round is expected to hold, from `round`'s value when they were set; none: calls pass at once. */
let roundSizes: readonly number[] | undefined;
let firstRound = 0;
const held: Array<() => void> = [];
let timer: NodeJS.Timeout | undefined;

function releaseRound(): void {
  clearTimeout(timer);
  timer = undefined;
  round++;
  for (const release of held.splice(0)) release();
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

before(async () => {
  h = await startHarness({ delays: 'instant' });
  const target = new URL(h.url);
  proxy = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      calls.push({ action: new URLSearchParams(body.toString()).get('Action') ?? '?', round });
      const forward = () => {
        const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => res.writeHead(502).end());
        out.end(body);
      };
      if (!roundSizes) return forward();
      held.push(forward);
      if (held.length >= (roundSizes[round - firstRound] ?? Infinity)) releaseRound();
      else timer ??= setTimeout(releaseRound, 1_000);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  pool = new AwsClientPool({ endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, credentials: h.cloud.accounts.provider, requestTimeoutMs: 10_000 });
  adapter = new AwsProvider(pool);
});

after(async () => {
  clearTimeout(timer);
  pool?.destroy();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  agent.destroy();
  await h?.close();
});

const spec = (id: string, listeners: EndpointServiceSpec['listeners'] = []): EndpointServiceSpec => ({
  id,
  projectId: newObjectId(),
  region: 'us-east-1',
  listeners,
  layout: 'portMapped',
});

/** Runs `work` with its calls held in rounds of `sizes`; returns its result and each call as `round:Action` (rounds from 0, sorted). */
async function inRounds<T>(sizes: readonly number[], work: () => Promise<T>): Promise<{ result: T; rounds: string[] }> {
  const from = calls.length;
  firstRound = round;
  roundSizes = sizes;
  try {
    const result = await work();
    return {
      result,
      rounds: calls
        .slice(from)
        .map((c) => `${c.round - firstRound}:${c.action}`)
        .sort(),
    };
  } finally {
    roundSizes = undefined;
    if (held.length > 0) releaseRound();
  }
}

/** Observes `s` through held rounds of `size` calls. */
async function observedInRounds(s: EndpointServiceSpec, ref: Record<string, unknown>, likelyReady: boolean, size: number) {
  const { result: seen, rounds } = await inRounds([size, size, size], () => adapter.observeEndpointService(s, ref, likelyReady));
  return { seen, rounds };
}

/** A new service, made, then observed through held rounds of `size` calls. */
async function madeThenObserved(likelyReady: boolean, size: number) {
  const s = spec(newObjectId());
  return observedInRounds(s, (await adapter.createEndpointService(s, {})).ref, likelyReady, size);
}

test('a service likely ready is observed in one round of calls: its listeners are asked with the load balancer and the service', async () => {
  const { seen, rounds } = await madeThenObserved(true, 3);
  assert.equal(seen.observed.state, 'ready');
  assert.deepEqual(rounds, ['0:DescribeListeners', '0:DescribeLoadBalancers', '0:DescribeVpcEndpointServiceConfigurations']);
});

test('a service not said to be likely ready has its listeners asked only once it is found ready (no read wasted while it provisions)', async () => {
  const { seen, rounds } = await madeThenObserved(false, 2);
  assert.equal(seen.observed.state, 'ready');
  assert.deepEqual(rounds, ['0:DescribeLoadBalancers', '0:DescribeVpcEndpointServiceConfigurations', '1:DescribeListeners']);
});

test('listeners asked ahead still show drift: a listener deleted behind privlink’s back reads as out of sync, then in sync once repaired', async () => {
  const target = { host: '10.0.0.7', port: 27017, outsideProviderNetwork: true };
  const s = spec(newObjectId(), [{ port: 1024, targets: [target], proxyProtocol: true }]);
  let ref = (await adapter.createEndpointService(s, {})).ref;
  ref = (await adapter.observeEndpointService(s, ref)).ref;
  await adapter.syncListeners(s, ref);
  const inSync = await observedInRounds(s, ref, true, 3);
  assert.deepEqual(inSync.seen.observed.state === 'ready' && inSync.seen.observed.listenersInSync, true);
  assert.ok(inSync.rounds.includes('0:DescribeListeners'), inSync.rounds.join(', '));

  const elb = h.elb(h.cloud.accounts.provider);
  const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: ref.loadBalancerArn as string }))).Listeners ?? [];
  assert.equal(listeners.length, 1);
  await elb.send(new DeleteListenerCommand({ ListenerArn: listeners[0]!.ListenerArn }));
  const drifted = await observedInRounds(s, ref, true, 3);
  assert.deepEqual(drifted.seen.observed.state === 'ready' && drifted.seen.observed.listenersInSync, false);
  await adapter.syncListeners(s, ref);
  const repaired = await adapter.observeEndpointService(s, ref, true);
  assert.deepEqual(repaired.observed.state === 'ready' && repaired.observed.listenersInSync, true);
});

test('listeners asked ahead of a load balancer that is not the one found are asked again of the one found', async () => {
  const s = spec(newObjectId());
  const ref = (await adapter.createEndpointService(s, {})).ref;
  // A ref naming another load balancer (as after one was replaced): the answer about it is not used.
  const stale = { ...ref, loadBalancerArn: String(ref.loadBalancerArn).replace(/[0-9a-f]{16}$/, '0000000000000000') };
  const { seen, rounds } = await observedInRounds(s, stale, true, 3);
  assert.equal(seen.observed.state, 'ready');
  assert.equal(seen.ref.loadBalancerArn, ref.loadBalancerArn);
  assert.deepEqual(rounds, ['0:DescribeListeners', '0:DescribeLoadBalancers', '0:DescribeVpcEndpointServiceConfigurations', '1:DescribeListeners']);
});

test('a listener sync brings its ports in line at once: each step of three new ports is one round', async () => {
  const ports = [1024, 1025, 1026];
  const s = spec(
    newObjectId(),
    ports.map((port, i) => ({ port, targets: [{ host: `10.0.0.${10 + i}`, port: 27017, outsideProviderNetwork: true }], proxyProtocol: true })),
  );
  let ref = (await adapter.createEndpointService(s, {})).ref;
  ref = (await adapter.observeEndpointService(s, ref)).ref;
  const { rounds } = await inRounds([1, 2, 3, 3, 3, 3], () => adapter.syncListeners(s, ref));
  const each = (n: number, action: string) => [`${n}:${action}`, `${n}:${action}`, `${n}:${action}`];
  assert.deepEqual(rounds, [
    '0:DescribeLoadBalancers',
    '1:DescribeListeners',
    '1:DescribeTargetGroups',
    ...each(2, 'CreateTargetGroup'),
    ...each(3, 'ModifyTargetGroupAttributes'),
    ...each(4, 'RegisterTargets'),
    ...each(5, 'CreateListener'),
  ]);
  const synced = await adapter.observeEndpointService(s, ref, true);
  assert.deepEqual(synced.observed.state === 'ready' && synced.observed.listenersInSync, true);
});
