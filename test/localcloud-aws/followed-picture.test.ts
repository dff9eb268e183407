import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateSecurityGroupCommand, CreateVpcCommand, CreateVpcEndpointCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { sql } from 'kysely';
import { FollowedPicture } from '../../src/localcloud/aws/followed-picture.js';
import { createLocalCloudAws, type AccountCredentials } from '../../src/localcloud/aws/local-cloud-aws.js';
import { PICTURE_TABLES, PRUNED_THROUGH_SETTING } from '../../src/localcloud/aws/store/picture-rows.repository.js';
import { readLocalCloud } from '../../src/localcloud/aws/store/schema.js';
import { loopbackRanges } from '../../src/localcloud/common/loopback.js';
import { defaultNetwork, providerService, startHarness, type Harness } from './harness.js';

// The data-plane picture is read change by change from a log a trigger on each table writes
// (followed-picture.ts). The harness checks every test file's followed picture against a whole
// read; these tests pin what that check may not reach: every table is noted, another process's
// changes are followed, and a reader whose changes were pruned reads everything again.

const range = loopbackRanges(100).AWS;
const follower = (h: Harness) => {
  const picture = new FollowedPicture();
  return () =>
    picture.read(
      (work) => readLocalCloud(h.testStore.store, work),
      () => h.now(),
      range,
    );
};

test('every table the picture is read from notes its changes', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const rows = await sql<{ table: string }>`select tgrelid::regclass::text as table from pg_trigger where tgname like '%dataplane_change' order by 1`.execute(h.testStore.store.db);
  assert.deepEqual(
    rows.rows.map((r) => r.table),
    Object.values(PICTURE_TABLES)
      .map((spec) => spec.table)
      .sort(),
  );
});

test('a change made by another process sharing the store shows in the next read', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const read = follower(h);
  const before = await read();
  // A second emulator on the same store, as a second replica would run one.
  const other = await createLocalCloudAws({ store: h.testStore.store, delays: 'instant', loopbackBase: 100, now: () => h.now() });
  t.after(() => other.close());
  const served = await other.listen('127.0.0.1', 0);
  t.after(() => served.close());
  const config = (account: AccountCredentials, region = 'us-east-1') => ({
    endpoint: served.url,
    region,
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
    maxAttempts: 1,
  });
  const throughOther: Harness = {
    ...h,
    cloud: h.cloud,
    ec2: (account, region) => new EC2Client(config(account, region)),
    elb: (account, region) => new ElasticLoadBalancingV2Client(config(account, region)),
  };
  const svc = await providerService(throughOther);
  const after = await read();
  assert.equal(before.services.length, 0);
  assert.deepEqual(
    after.services.map((s) => s.serviceId),
    [svc.serviceId],
  );
  assert.ok(after.loadBalancers.some((lb) => lb.loadBalancerId === svc.loadBalancerArn && lb.ports.length === 1 && lb.ports[0]!.targets.length === 1));
});

test('a reader whose last change was pruned from the log reads the whole picture again', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const read = follower(h);
  const ec2 = h.ec2(h.cloud.accounts.customer);
  const first = await read();
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!;
  // The log loses what the reader has not seen (as pruning does after ten minutes).
  const db = h.testStore.store.db;
  const newest = (await sql<{ n: string }>`select max(seq)::text as n from lc_dataplane_changes`.execute(db)).rows[0]!.n;
  await sql`delete from lc_dataplane_changes`.execute(db);
  await sql`insert into lc_settings (key, value) values (${PRUNED_THROUGH_SETTING}, ${newest}) on conflict (key) do update set value = excluded.value`.execute(db);
  const second = await read();
  assert.ok(!first.networks.some((n) => n.networkId === vpc.VpcId));
  assert.ok(
    second.networks.some((n) => n.networkId === vpc.VpcId),
    'the VPC made while the log was pruned is in the picture',
  );
  // And it goes on following from there.
  await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'later', Description: 'later', VpcId: vpc.VpcId }));
  const third = await read();
  assert.ok(third.securityGroups.some((g) => g.groupName === 'later' && g.networkId === vpc.VpcId));
});

test('the log prunes itself: changes older than ten minutes go at every 1,000th, and the horizon is recorded', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const db = h.testStore.store.db;
  const ec2 = h.ec2(h.cloud.accounts.customer);
  await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
  await sql`update lc_dataplane_changes set at = now() - interval '11 minutes'`.execute(db);
  const old = (await sql<{ n: string }>`select max(seq)::text as n from lc_dataplane_changes`.execute(db)).rows[0]!.n;
  // The next change is numbered 1,000 (the log's numbers need not be dense).
  await sql`select setval(pg_get_serial_sequence('lc_dataplane_changes', 'seq'), 999)`.execute(db);
  await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }));
  const left = (await sql<{ n: string; oldest: string }>`select count(*)::text as n, min(seq)::text as oldest from lc_dataplane_changes`.execute(db)).rows[0]!;
  assert.ok(Number(left.oldest) >= 1000, `the old changes are gone (oldest left ${left.oldest})`);
  const horizon = (await sql<{ value: string }>`select value from lc_settings where key = ${PRUNED_THROUGH_SETTING}`.execute(db)).rows[0]?.value;
  assert.equal(horizon, old);
});

test('a zone outage and its end show in the followed picture as in a whole read', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  const svc = await providerService(h, { acceptanceRequired: false });
  const net = await defaultNetwork(h, h.cloud.accounts.customer);
  const vpce = (
    await h.ec2(h.cloud.accounts.customer).send(
      new CreateVpcEndpointCommand({
        VpcId: net.vpcId,
        ServiceName: svc.serviceName,
        VpcEndpointType: 'Interface',
        SubnetIds: [net.subnetByZone.get('us-east-1a')!, net.subnetByZone.get('us-east-1b')!],
      }),
    )
  ).VpcEndpoint!;
  const whole = () =>
    new FollowedPicture().read(
      (work) => readLocalCloud(h.testStore.store, work),
      () => h.now(),
      range,
    );
  const interfacesOf = (snapshot: Awaited<ReturnType<typeof whole>>) =>
    snapshot.loadBalancers.find((lb) => lb.loadBalancerId === svc.loadBalancerArn)!.networkInterfaces.map((eni) => eni.availabilityZone);
  const followed = await h.cloud.snapshot();
  assert.ok(interfacesOf(followed).includes('us-east-1a'));
  await h.cloud.setAvailabilityZoneState('us-east-1a', 'impaired');
  const during = await h.cloud.snapshot();
  assert.ok(!interfacesOf(during).includes('us-east-1a'), 'the impaired zone carries nothing');
  assert.deepEqual(
    during.endpoints.find((e) => e.endpointId === vpce.VpcEndpointId)!.networkInterfaces.map((eni) => eni.availabilityZone),
    ['us-east-1b'],
  );
  assert.deepEqual({ ...during, takenAt: 0 }, { ...(await whole()), takenAt: 0 });
  await h.cloud.setAvailabilityZoneState('us-east-1a', 'available');
  const after = await h.cloud.snapshot();
  assert.deepEqual(interfacesOf(after), interfacesOf(followed));
  assert.deepEqual({ ...after, takenAt: 0 }, { ...(await whole()), takenAt: 0 });
});
