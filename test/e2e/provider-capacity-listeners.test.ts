import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { addPoolAccount, poolAccountClients } from '../support/provider-pool.js';

// An endpoint service's load balancer needs one listener per node port of its project region's
// clusters; AWS allows 50 per network load balancer (L-57A373D6, not adjustable). Atlas's project
// limit counts addressable targets (at most 50 once raised), but a sharded cluster also takes a
// port for its load-balanced `-lb` string: 50 mongos + 1 need 51 listeners. Such a service is
// FAILED at once with that quota named, never retried, and nothing is made in the pool account.
let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

/** A sharded cluster of one shard with `electable + readOnly` nodes in us-east-1: as many mongos targets, plus the `-lb` port. */
const sharded = (name: string, electable: number, readOnly: number) => ({
  name,
  clusterType: 'SHARDED',
  replicationSpecs: [
    {
      regionConfigs: [
        {
          providerName: 'AWS',
          regionName: 'US_EAST_1',
          priority: 7,
          electableSpecs: { instanceSize: 'M30', nodeCount: electable },
          readOnlySpecs: { instanceSize: 'M30', nodeCount: readOnly },
        },
      ],
    },
  ],
});

describe('listeners per network load balancer at placement', () => {
  test('a cluster needing 51 listeners in the region: the service is FAILED at once naming L-57A373D6, with an event, and nothing is made', async () => {
    await addPoolAccount(stack, 'acct-l');
    const limit = await stack.owner.patch(`${stack.project}/limits/atlas.project.deployment.nodesPerPrivateLinkRegion`, { value: 50 });
    assert.equal(limit.status, 200, limit.text);
    const cluster = await stack.owner.post(`${stack.project}/clusters`, sharded('Wide0', 3, 47));
    assert.equal(cluster.status, 201, cluster.text);
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(created.status, 201, created.text);
    const serviceId = (created.json as { id: string }).id;
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`;
    const failed = await until(
      () => stack.owner.get(path),
      (r) => (r.json as { status: string }).status !== 'INITIATING',
      10_000,
    );
    const body = failed.json as { status: string; errorMessage: string };
    assert.equal(body.status, 'FAILED', failed.text);
    assert.match(body.errorMessage, /needs 51 listeners/);
    assert.match(body.errorMessage, /L-57A373D6 \(Listeners per Network Load Balancer\) allows 50/);
    assert.match(body.errorMessage, /us-east-1/);
    assert.match(body.errorMessage, /fewer nodes or shards/);
    assert.match(body.errorMessage, /privlink admin provider-accounts add/);
    const feed = await stack.owner.get(`${stack.project}/events`);
    const events = (feed.json as { results: Array<{ eventTypeName: string; targetId: string; errorMessage?: string | null }> }).results;
    assert.ok(events.some((e) => e.eventTypeName === 'ENDPOINT_SERVICE_FAILED' && e.targetId === serviceId && /L-57A373D6/.test(e.errorMessage ?? '')));

    // Never a retry loop: it stays FAILED, and the pool account got no VPC and no load balancer.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(((await stack.owner.get(path)).json as { status: string }).status, 'FAILED');
    const account = await poolAccountClients(stack, 'acct-l');
    try {
      assert.deepEqual(await account.providerVpcs(), []);
      assert.deepEqual(await account.loadBalancers(), []);
    } finally {
      account.close();
    }
  });
});
