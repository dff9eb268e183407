import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ProviderError } from '../../src/providers/cloud-provider.js';
import { AwsClientPool } from '../../src/providers/aws/aws-clients.js';
import { PROVIDER_VPC_TAG, ensureProviderNetwork } from '../../src/providers/aws/aws-provider-network.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Two passes (of one replica or of two) setting up the provider VPC of a fresh account and region
 * at the same moment: neither may fail its service. The one that loses the race for a subnet's
 * CIDR gets a retryable conflict, and its retry finds the winner's network.
 */
describe('provider VPC set-up raced by concurrent passes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  test('concurrent set-ups (three replicas) end with one provider VPC and one subnet per zone; a loser is told to retry, never failed', async () => {
    const account = await h.cloud.createAccount('privlink-pool-race');
    const pools = Array.from({ length: 3 }, () => new AwsClientPool({ endpoint: h.url, credentials: account, requestTimeoutMs: 5000 }));
    const clients = pools.map((pool) => pool.forAccount({ id: 'race', name: 'race', credentials: account }, 'us-east-1'));
    const outcomes = await Promise.allSettled(clients.map((c) => ensureProviderNetwork(c, 'us-east-1')));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        assert.ok(outcome.reason instanceof ProviderError, String(outcome.reason));
        assert.equal(outcome.reason.retryable, true, `a raced set-up is retried, not failed: ${outcome.reason.kind} ${outcome.reason.code}`);
      }
    }
    // Retries (as the reconciler's would be) all settle on the same network.
    const settled = await Promise.all(clients.map((c) => ensureProviderNetwork(c, 'us-east-1')));
    const ec2 = clients[0]!.ec2;
    const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: `tag:${PROVIDER_VPC_TAG}`, Values: ['us-east-1'] }] }))).Vpcs ?? [];
    const chosen = vpcs.map((v) => v.VpcId!).sort()[0]!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [chosen] }] }))).Subnets ?? [];
    const zones = subnets.map((s) => s.AvailabilityZone).sort();
    assert.deepEqual(zones, [...new Set(zones)], 'one subnet per availability zone');
    assert.ok(zones.length >= 2, `the provider VPC has its subnets: ${zones.join(', ')}`);
    for (const byZone of settled) assert.deepEqual([...byZone.keys()].sort(), zones, 'every pass uses the same subnets');
    for (const pool of pools) pool.destroy();
  });
});
