// What the AWS local cloud's keyed calls cost as an account grows: CreateTargetGroup (its name
// check runs under the emulator's lock) and DescribeTargetGroups by name, timed from the SDK at
// 100 and at 2,900 target groups in one account (AWS's default quota is 3,000 per region).
// Reference in the same run: DescribeTargetGroups with no key at each size, one page of up to 400
// (a read of the account's groups, which is what each named call did before it read by key).
// Target: a keyed call costs at most 1.5× at 2,900 groups what it costs at 100 (no walk over the
// account's rows).
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs localcloud-lookups);
// BENCH_LOOKUP_N=100,2900 sets the sizes; DATABASE_URL runs it on a fresh PostgreSQL database.
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { percentile, table, verdict } from './support/stats.js';

const SIZES = (process.env.BENCH_LOOKUP_N ?? '100,2900').split(',').map(Number);
const SAMPLES = 50;
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
  const rows: Array<{ n: number; create: number; byName: number; listing: number }> = [];
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
    rows.push({ n, create: percentile(creates.slice(-SAMPLES), 0.5), byName: percentile(byName, 0.5), listing: percentile(listing, 0.5) });
  }
  console.log(
    table(
      ['target groups', 'CreateTargetGroup, ms', 'DescribeTargetGroups by name, ms', 'reference: DescribeTargetGroups, one page of ≤ 400, ms'],
      rows.map((r) => [String(r.n), r.create.toFixed(2), r.byName.toFixed(2), r.listing.toFixed(2)]),
    ),
  );
  const [small, large] = [rows[0]!, rows[rows.length - 1]!];
  const createRatio = large.create / small.create;
  const byNameRatio = large.byName / small.byName;
  console.log(
    `goal: a keyed call at ${large.n} groups ≤ ${FLAT_RATIO}× its cost at ${small.n} — CreateTargetGroup ${createRatio.toFixed(2)}×, DescribeTargetGroups by name ${byNameRatio.toFixed(2)}×: ${verdict(createRatio <= FLAT_RATIO && byNameRatio <= FLAT_RATIO)}`,
  );
  elb.destroy();
  ec2.destroy();
} finally {
  await privlink.close();
}
