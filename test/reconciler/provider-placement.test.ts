import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetRequestedServiceQuotaChangeCommand, RequestServiceQuotaIncreaseCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { sql } from 'kysely';
import { AwsClientPool } from '../../src/providers/aws/aws-clients.js';
import { AwsProvider } from '../../src/providers/aws/aws.provider.js';
import { CrashPoints } from '../../src/reconciler/crash-points.js';
import { listenerDirectory } from '../../src/reconciler/listener-directory.js';
import { ProviderAccountAccessor } from '../../src/reconciler/provider-accounts.js';
import { ProviderPlacement, QUOTA_TTL_MS } from '../../src/reconciler/provider-placement.js';
import type { ReconcileContext } from '../../src/reconciler/reconcile-context.js';
import { providerRegistry } from '../../src/providers/provider-registry.js';
import { createLogger } from '../../src/logging/logger.js';
import { repositories } from '../../src/store/repositories.js';
import { startHarness, type Harness } from '../localcloud-aws/harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// Placement reads each candidate account's quotas from the cloud (the local AWS cloud's Service
// Quotas and EC2 here, through the real adapter). How often it reads them decides how its cost
// grows with the pool: the candidates are ranked by their last readings, and only the account a
// service would go to is read again, when its reading is QUOTA_TTL_MS old; every candidate is read
// again only when none has room.

const ORG = '00000000000000000000c0b1';
const REGION = 'US_EAST_1';
let h: Harness;
let t: TestStore;
let adapter: AwsProvider;
let awsPool: AwsClientPool;
let placement: ProviderPlacement;
let ctx: ReconcileContext;
let offset = 0;
const calls: string[] = [];

before(async () => {
  h = await startHarness();
  t = await openTestStore();
  awsPool = new AwsClientPool({ endpoint: h.url, credentials: h.cloud.accounts.provider, requestTimeoutMs: 10_000, onCall: (op) => calls.push(op) });
  const accessor = new ProviderAccountAccessor(t.store, (name) => h.cloud.createAccount(name));
  adapter = new AwsProvider(awsPool, accessor);
  placement = new ProviderPlacement(accessor, () => 1_000_000 + offset);
  ctx = {
    store: t.store,
    providers: providerRegistry({ AWS: adapter }),
    listeners: listenerDirectory(t.store, undefined),
    crash: new CrashPoints(null),
    log: createLogger('silent'),
    notFoundGraceMs: 0,
    domain: 'placement.test',
    pool: { placement, accounts: accessor },
    now: () => new Date(),
  };
  await sql`insert into organizations (id, name) values (${ORG}, 'Placement Org')`.execute(t.store.db);
  for (const [n, name] of ['pool-a', 'pool-b'].entries()) {
    await repositories(t.store.db).providerAccounts.insertAccount({
      id: `00000000000000000000ac0${n + 1}`,
      provider: 'AWS',
      name,
      kind: 'LOCAL_CLOUD',
      accessKeyId: null,
      secretAccessKey: null,
      roleArn: null,
      subscriptionId: null,
      tenantId: null,
      clientId: null,
      clientSecret: null,
      projectId: null,
      serviceAccountKey: null,
      state: 'ACTIVE',
      createdAt: new Date(Date.UTC(2026, 0, 1 + n)),
    });
  }
});
after(async () => {
  awsPool?.destroy();
  await t?.cleanup();
  await h?.close();
});

let made = 0;
/** Places a new project's endpoint service; the account it went to and the quota reads it took (GetServiceQuota calls, three per account read). */
async function placeNew(by: ProviderPlacement = placement): Promise<{ account: string; quotaCalls: number }> {
  const n = (++made).toString(16).padStart(4, '0');
  const project = `00000000000000000000${n}`;
  const serviceId = `0000000000000000000a${n}`;
  await sql`insert into projects (id, org_id, name, host_suffix) values (${project}, ${ORG}, ${`Placed ${n}`}, ${`p${n}`})`.execute(t.store.db);
  await sql`insert into endpoint_services (id, project_id, provider, region_name, status) values (${serviceId}, ${project}, 'AWS', ${REGION}, 'INITIATING')`.execute(t.store.db);
  const service = (await repositories(t.store.db).privateEndpoints.findService(serviceId))!;
  const before = calls.length;
  const outcome = await by.place(ctx, adapter, service, 'us-east-1');
  assert.equal(outcome.kind, 'placed');
  const quotaCalls = calls.slice(before).filter((op) => op === 'GetServiceQuota').length;
  return { account: outcome.kind === 'placed' ? outcome.accountId.slice(-1) : '', quotaCalls };
}

test('a placement reads again only the account it places in, and only when its reading is QUOTA_TTL_MS old', async () => {
  // Nothing read yet: both accounts are read; the older of two equally roomy accounts takes it.
  assert.deepEqual(await placeNew(), { account: '1', quotaCalls: 6 });
  // pool-b has more room left; its reading is recent.
  assert.deepEqual(await placeNew(), { account: '2', quotaCalls: 0 });
  offset += QUOTA_TTL_MS + 1;
  // Both readings are old: pool-a (as roomy as pool-b, older) is read again, pool-b is not.
  assert.deepEqual(await placeNew(), { account: '1', quotaCalls: 3 });
  assert.deepEqual(await placeNew(), { account: '2', quotaCalls: 3 });
  assert.deepEqual(await placeNew(), { account: '1', quotaCalls: 0 });
});

test("a new process's first placement ranks by the readings the store keeps and reads only the account it places in", async () => {
  // Another replica (or this one restarted): nothing read in this process yet.
  const restarted = new ProviderPlacement(new ProviderAccountAccessor(t.store, (name) => h.cloud.createAccount(name)), () => 1_000_000 + offset);
  // pool-a holds three services, pool-b two: by the stored readings pool-b has more room, and only it is read.
  assert.deepEqual(await placeNew(restarted), { account: '2', quotaCalls: 3 });
  // Now even (3 and 3): pool-a, the older, would take the next; its stored reading is old, so it is read.
  assert.deepEqual(await placeNew(restarted), { account: '1', quotaCalls: 3 });
  assert.deepEqual(await placeNew(restarted), { account: '2', quotaCalls: 0 });
});

test('an account read during the placement takes the service, however long the cloud took to answer', async () => {
  // A clock that moves QUOTA_TTL_MS on every look: every reading is old as soon as it is taken.
  let now = 2_000_000 + offset;
  const slowCloud = new ProviderPlacement(new ProviderAccountAccessor(t.store, (name) => h.cloud.createAccount(name)), () => (now += QUOTA_TTL_MS + 1));
  const placed = await placeNew(slowCloud);
  assert.equal(placed.quotaCalls, 3, 'the account it would go to is read once, then takes the service');
});

test('a placement that finds no room in the kept readings reads every candidate again at once: a quota raised meanwhile is seen', async () => {
  // Both accounts hold services, so their readings (50 load balancers each) are kept: fill them.
  const counts = await repositories(t.store.db).providerAccounts.countPlacements('AWS', REGION);
  const room = 2 * 50 - [...counts.values()].reduce((a, b) => a + b, 0);
  for (let i = 0; i < room; i++) assert.equal((await placeNew()).quotaCalls, 0);
  // pool-a's quota is raised in the cloud (an approved increase), which the kept readings do not know.
  await h.cloud.setQuotaApprovalDelay(0);
  const quotas = new ServiceQuotasClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: await h.cloud.createAccount('privlink-pool-pool-a') });
  try {
    const asked = await quotas.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2', DesiredValue: 51 }));
    const deadline = Date.now() + 10_000;
    while ((await quotas.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: asked.RequestedQuota!.Id! }))).RequestedQuota?.Status !== 'APPROVED') {
      assert.ok(Date.now() < deadline, 'the increase is approved');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    quotas.destroy();
  }
  assert.deepEqual(await placeNew(), { account: '1', quotaCalls: 6 }, 'every candidate read again when the kept readings left no room');
});
