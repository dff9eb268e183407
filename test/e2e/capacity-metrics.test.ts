import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CapacityLineWire } from '../../src/api/atlas/wire/provider-capacity.wire.js';
import { startStack, type Stack } from '../support/full-stack.js';
import { addPoolAccount, projectsWithServices, settled } from '../support/provider-pool.js';
import { scrape, type Scrape } from '../support/prometheus-scrape.js';

// The capacity gauges on /metrics, read by a real Prometheus text parser after services are placed
// in a pool of two local-cloud accounts (AWS's default quotas), against the Admin API's capacity
// report: the same figures.
let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

const LB = 'L-69A177A2';
const VPC = 'L-F678F1CE';

/** Scrapes until `done` holds (the gauges reuse a report for a few seconds), or fails after 20 s. */
async function scrapeUntil(done: (s: Scrape) => boolean): Promise<Scrape> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = await scrape(stack.running.apiUrl);
    if (done(now)) return now;
    assert.ok(Date.now() < deadline, 'the capacity gauges never showed the placements');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('provider capacity gauges', () => {
  test('before any placement there is no capacity series', async () => {
    await addPoolAccount(stack, 'cap-a');
    const now = await scrape(stack.running.apiUrl);
    assert.equal(now.status, 200);
    for (const name of ['privlink_provider_placements', 'privlink_provider_quota_used', 'privlink_provider_quota_limit', 'privlink_provider_quota_left']) {
      assert.equal(now.families.get(name)?.metrics.length ?? 0, 0, name);
    }
  });

  test('after placements: placements, used, limit and left per account, region and quota, as privlink admin capacity reports them', async () => {
    const east = await projectsWithServices(stack, 'cap-east', 3, 'us-east-1', 3);
    const west = await projectsWithServices(stack, 'cap-west', 2, 'us-west-2', 2);
    const statuses = await settled(stack, [...east, ...west]);
    assert.deepEqual(
      statuses.map((s) => s.status),
      ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE'],
    );
    const series = { provider: 'AWS', account: 'cap-a' };
    const now = await scrapeUntil(
      (s) => s.value('privlink_provider_placements', { ...series, region: 'US_EAST_1' }) === 3 && s.value('privlink_provider_placements', { ...series, region: 'US_WEST_2' }) === 2,
    );
    const lb = (region: string) => ({ ...series, region, quota_code: LB, quota_name: 'Network Load Balancers per Region' });
    assert.equal(now.value('privlink_provider_quota_used', lb('US_EAST_1')), 3);
    assert.equal(now.value('privlink_provider_quota_limit', lb('US_EAST_1')), 50, "AWS's default quota, as read from Service Quotas");
    assert.equal(now.value('privlink_provider_quota_left', lb('US_EAST_1')), 47);
    assert.equal(now.value('privlink_provider_quota_left', lb('US_WEST_2')), 48);
    assert.equal(now.value('privlink_provider_quota_limit', { ...series, region: 'US_EAST_1', quota_code: VPC }), 5);

    // The same figures as the Admin API's capacity report (which `privlink admin capacity` prints).
    const report = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/capacity`);
    assert.equal(report.status, 200, report.text);
    const lines = (report.json as { results: CapacityLineWire[] }).results.filter((l) => l.regionName !== '-');
    assert.ok(lines.length >= 2);
    for (const line of lines) {
      const at = { provider: 'AWS', account: line.accountName, region: line.regionName };
      assert.equal(now.value('privlink_provider_placements', at), line.placements, `${line.accountName} ${line.regionName}`);
      for (const limit of line.limits) {
        const labels = { ...at, quota_code: limit.quotaCode };
        assert.equal(now.value('privlink_provider_quota_used', labels), limit.used, `${limit.quotaCode} used`);
        if (limit.quota !== null) assert.equal(now.value('privlink_provider_quota_limit', labels), limit.quota, `${limit.quotaCode} quota`);
        if (limit.left !== null) assert.equal(now.value('privlink_provider_quota_left', labels), limit.left, `${limit.quotaCode} left`);
      }
    }
    // Labels stay bounded: account names, region names and quota codes, never object ids.
    for (const sample of now.families.get('privlink_provider_placements')!.metrics) {
      assert.deepEqual(Object.keys(sample.labels ?? {}).sort(), ['account', 'provider', 'region']);
      assert.ok(!Object.values(sample.labels ?? {}).some((v) => /^[0-9a-f]{24}$/.test(v)));
    }
  });

  test('a service deleted gives its load balancer back', async () => {
    const [service] = await projectsWithServices(stack, 'cap-gone', 1, 'eu-west-1', 1);
    await settled(stack, [service!]);
    const at = { provider: 'AWS', account: 'cap-a', region: 'EU_WEST_1' };
    await scrapeUntil((s) => s.value('privlink_provider_placements', at) === 1);
    const deleted = await stack.owner.delete(`/api/atlas/v2/groups/${service!.projectId}/privateEndpoint/AWS/endpointService/${service!.serviceId}`);
    assert.equal(deleted.status, 202, deleted.text);
    const now = await scrapeUntil((s) => s.value('privlink_provider_placements', at) === 0);
    assert.equal(now.value('privlink_provider_quota_left', { ...at, quota_code: LB }), 50);
  });
});
