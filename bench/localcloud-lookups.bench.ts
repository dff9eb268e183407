// What the AWS local cloud's keyed calls cost as an account grows: CreateTargetGroup (its name
// check runs under the emulator's lock) and DescribeTargetGroups by name, timed from the SDK at
// 100 and at 2,900 target groups in one account (AWS's default quota is 3,000 per region).
// Reference in the same run: DescribeTargetGroups with no key at each size, one page of up to 400.
// And a listing walked page by page (PageSize 20, Marker after Marker, three walks), per group;
// and one DescribeTargetGroups naming every group of the account (Names.member.1…N), per group.
// Targets: a keyed call costs at most 1.5× at 2,900 groups what it costs at 100 (no walk over the
// account's rows), and so does a walked listing per group (each page reads its own rows, not the
// account's: a walk is linear in the account's size, not quadratic), and so does a call naming
// every group (each name is looked up, not searched for among the account's groups).
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs localcloud-lookups);
// BENCH_LOOKUP_N=100,2900 sets the sizes; DATABASE_URL runs it on a fresh PostgreSQL database.
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { percentile, table, verdict } from './support/stats.js';

const SIZES = (process.env.BENCH_LOOKUP_N ?? '100,2900').split(',').map(Number);
const SAMPLES = 50;
const WALKS = 3;
const WALK_PAGE = 20;
const FLAT_RATIO = 1.5;

const privlink = await startBenchPrivlink();
try {
  const endpoint = privlink.running.localCloudUrl!;
  const { accessKeyId, secretAccessKey } = privlink.bootstrap.localCloud.customer;
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 };
  const elb = new ElasticLoadBalancingV2Client(config);
  const ec2 = new EC2Client(config);
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  console.log(`${privlink.backend}; target groups of one account: ${SIZES.join(', ')}; medians of ${SAMPLES} calls at each size`);

  const timed = async (call: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await call();
    return performance.now() - start;
  };
  const create = (i: number) => elb.send(new CreateTargetGroupCommand({ Name: `bench-${i}`, Protocol: 'TCP', Port: 27017, VpcId: vpcId, TargetType: 'ip' }));
  /** Every page of the account's groups, Marker after Marker: the time per group, µs. */
  const walk = async (n: number): Promise<number> => {
    let marker: string | undefined;
    let seen = 0;
    const start = performance.now();
    do {
      const page = await elb.send(new DescribeTargetGroupsCommand({ PageSize: WALK_PAGE, Marker: marker }));
      seen += page.TargetGroups!.length;
      marker = page.NextMarker;
    } while (marker);
    if (seen !== n) throw new Error(`the walk saw ${seen} groups, not ${n}`);
    return ((performance.now() - start) * 1000) / n;
  };
  /** One DescribeTargetGroups naming every group made so far: the time per group named, µs. */
  const namingAll = async (n: number): Promise<number> => {
    const names = Array.from({ length: n }, (_, i) => `bench-${i}`);
    const start = performance.now();
    const answer = await elb.send(new DescribeTargetGroupsCommand({ Names: names }));
    if (answer.TargetGroups!.length !== n) throw new Error(`naming ${n} groups answered ${answer.TargetGroups!.length}`);
    return ((performance.now() - start) * 1000) / n;
  };
  const rows: Array<{ n: number; create: number; byName: number; listing: number; walked: number; named: number }> = [];
  let made = 0;
  for (const n of SIZES) {
    const creates: number[] = [];
    while (made < n) creates.push(await timed(() => create(made++)));
    const byName: number[] = [];
    const listing: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      byName.push(await timed(() => elb.send(new DescribeTargetGroupsCommand({ Names: [`bench-${(i * 7919) % n}`] }))));
      listing.push(await timed(() => elb.send(new DescribeTargetGroupsCommand({ PageSize: 400 }))));
    }
    const walks: number[] = [];
    const named: number[] = [];
    for (let i = 0; i < WALKS; i++) {
      walks.push(await walk(n));
      named.push(await namingAll(n));
    }
    rows.push({
      n,
      create: percentile(creates.slice(-SAMPLES), 0.5),
      byName: percentile(byName, 0.5),
      listing: percentile(listing, 0.5),
      walked: percentile(walks, 0.5),
      named: percentile(named, 0.5),
    });
  }
  console.log(
    table(
      [
        'target groups',
        'CreateTargetGroup, ms',
        'DescribeTargetGroups by name, ms',
        `every page of ${WALK_PAGE} walked, µs per group`,
        'one call naming every group, µs per group',
        'reference: DescribeTargetGroups, one page of ≤ 400, ms',
      ],
      rows.map((r) => [String(r.n), r.create.toFixed(2), r.byName.toFixed(2), r.walked.toFixed(0), r.named.toFixed(0), r.listing.toFixed(2)]),
    ),
  );
  const [small, large] = [rows[0]!, rows[rows.length - 1]!];
  const createRatio = large.create / small.create;
  const byNameRatio = large.byName / small.byName;
  const walkRatio = large.walked / small.walked;
  const namedRatio = large.named / small.named;
  console.log(
    `goal: a keyed call at ${large.n} groups ≤ ${FLAT_RATIO}× its cost at ${small.n} — CreateTargetGroup ${createRatio.toFixed(2)}×, DescribeTargetGroups by name ${byNameRatio.toFixed(2)}×: ${verdict(createRatio <= FLAT_RATIO && byNameRatio <= FLAT_RATIO)}`,
  );
  console.log(`goal: a walked listing's cost per group at ${large.n} groups ≤ ${FLAT_RATIO}× at ${small.n} — ${walkRatio.toFixed(2)}×: ${verdict(walkRatio <= FLAT_RATIO)}`);
  console.log(`goal: a call naming every group, per group, at ${large.n} groups ≤ ${FLAT_RATIO}× at ${small.n} — ${namedRatio.toFixed(2)}×: ${verdict(namedRatio <= FLAT_RATIO)}`);
  elb.destroy();
  ec2.destroy();
} finally {
  await privlink.close();
}
