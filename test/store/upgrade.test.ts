import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { buildConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startPrivlink, type RunningPrivlink } from '../../src/main.js';
import type { StoreLocation } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { runInProcess, tempHome } from '../cli/support/cli-runner.js';
import { newStoreLocation, testBackend } from '../support/test-store.js';

// A store made by privlink 0.1.0 (test/fixtures/store-0.1.0.sql) is upgraded in place at start and
// serves the same rows: the product's migrations continue its chain, and the local cloud's own
// migrations adopt the tables the old chain made.
const FIXTURE = readFileSync(new URL('../../../test/fixtures/store-0.1.0.sql', import.meta.url), 'utf8');
const PROJECT = '6b0d93eeb621fa4787c7cd50';
const SERVICE = '6b0d93fcb621fa4787c7cd55';
const ENDPOINT = 'vpce-69a5f8c1d9273bfa9';
const KEY = { publicKey: 'upgradeq', privateKey: '11111111-2222-4333-8444-555555555555' };
const ORG = '6b0d93eeb621fa4787c7cd4f';
/** Every event of the fixture's activity feed. */
const EVENTS = [
  '6b0d93fcb621fa4787c7cd53',
  '6b0d93fcb621fa4787c7cd54',
  '6b0d93fcb621fa4787c7cd56',
  '6b0d9404b621fa4787c7cd57',
  '6b0d9422b621fa4787c7cd58',
  '6b0d9422b621fa4787c7cd59',
  '6b0d9422b621fa4787c7cd5a',
];
/** The migrations 0.1.0 had run (its kysely_migration rows). */
const RELEASED = ['0001-identity', '0002-clusters-and-private-endpoints', '0003-localcloud-aws', '0004-data-plane'];
const CUSTOMER = { accessKeyId: 'AKIAMSNDQSPVZT7WQ2JZ', secretAccessKey: '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' };

let running: RunningPrivlink | undefined;
let client: AtlasClient | undefined;
let cleanup: () => Promise<void> = async () => undefined;
let dryRun: { code: number | null; stdout: string; stderr: string } | undefined;
const home = tempHome();

/** An empty store location with the fixture loaded, as privlink 0.1.0 left it. */
async function oldStore(): Promise<{ location: StoreLocation; dataDir: string; drop: () => Promise<void> }> {
  const scratch = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'upgrade-'));
  if (testBackend() === 'postgres') {
    const { location, drop } = await newStoreLocation({ empty: true });
    const db = new pg.Client({ connectionString: (location as { url: string }).url });
    await db.connect();
    await db.query(FIXTURE);
    await db.end();
    return { location, dataDir: scratch, drop: async () => (await drop(), rmSync(scratch, { recursive: true, force: true })) };
  }
  const dataDir = join(scratch, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lite = new PGlite(dataDir);
  await lite.exec(FIXTURE);
  await lite.close();
  return { location: { kind: 'pglite', dataDir }, dataDir, drop: async () => rmSync(scratch, { recursive: true, force: true }) };
}

before(async () => {
  const old = await oldStore();
  cleanup = old.drop;
  // What `privlink migrate --dry-run` of this version says about the old store, before anything changes it.
  dryRun = await runInProcess(['migrate', '--dry-run', ...(old.location.kind === 'pglite' ? ['--data-dir', old.location.dataDir] : [])], {
    home: home.home,
    env: old.location.kind === 'postgres' ? { DATABASE_URL: old.location.url } : {},
  });
  const config = buildConfig(
    { port: 0, localcloudPort: 0, dnsPort: 0, dataDir: old.dataDir },
    {
      PRIVLINK_BOOTSTRAP_PUBLIC_KEY: KEY.publicKey,
      PRIVLINK_BOOTSTRAP_PRIVATE_KEY: KEY.privateKey,
      PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: String(20 + Math.floor(Math.random() * 200)),
      ...(old.location.kind === 'postgres' ? { DATABASE_URL: old.location.url } : {}),
    },
  );
  running = await startPrivlink(config, createLogger('warn'));
  client = new AtlasClient({ baseUrl: running.apiUrl, ...KEY });
});
after(async () => {
  client?.close();
  await running?.close();
  await cleanup();
  home.cleanup();
});

test('privlink migrate --dry-run lists every migration since 0.1.0, oldest first', () => {
  assert.equal(dryRun?.code, 0, dryRun?.stderr);
  const pending = Object.keys(MIGRATIONS).filter((name) => !RELEASED.includes(name));
  assert.ok(pending.length > 0);
  assert.equal(dryRun!.stdout, pending.map((name) => `${name}\n`).join(''));
  assert.match(dryRun!.stderr, new RegExp(`${pending.length} pending migration\\(s\\); nothing was changed`));
});

test('an upgraded 0.1.0 store serves its organization, project, API key and every event of its feed', async () => {
  const org = await client!.get(`/api/atlas/v2/orgs/${ORG}`);
  assert.equal(org.status, 200, org.text);
  assert.equal((org.json as { name: string }).name, 'Default Organization');
  const project = await client!.get(`/api/atlas/v2/groups/${PROJECT}`);
  assert.equal(project.status, 200, project.text);
  assert.equal((project.json as { name: string; orgId: string }).name, 'Project 0');
  const keys = await client!.get(`/api/atlas/v2/orgs/${ORG}/apiKeys`);
  assert.equal(keys.status, 200, keys.text);
  assert.ok(
    (keys.json as { results: Array<{ publicKey: string }> }).results.some((k) => k.publicKey === KEY.publicKey),
    keys.text,
  );
  const events = await client!.get(`/api/atlas/v2/groups/${PROJECT}/events?itemsPerPage=500`);
  assert.equal(events.status, 200, events.text);
  const ids = new Set((events.json as { results: Array<{ id: string }> }).results.map((e) => e.id));
  assert.deepEqual(
    EVENTS.filter((id) => !ids.has(id)),
    [],
    'every event of the old feed is served',
  );
});

test('an upgraded 0.1.0 store serves its endpoint service, interface endpoint and cluster as before', async () => {
  const project = `/api/atlas/v2/groups/${PROJECT}`;
  const service = await client!.get(`${project}/privateEndpoint/AWS/endpointService/${SERVICE}`);
  assert.equal(service.status, 200, service.text);
  const body = service.json as { status: string; endpointServiceName: string; interfaceEndpoints: string[] };
  assert.equal(body.status, 'AVAILABLE');
  assert.equal(body.endpointServiceName, 'com.amazonaws.vpce.us-east-1.vpce-svc-6f5f15727cf21e326');
  assert.deepEqual(body.interfaceEndpoints, [ENDPOINT]);
  const endpoint = await client!.get(`${project}/privateEndpoint/AWS/endpointService/${SERVICE}/endpoint/${ENDPOINT}`);
  assert.equal((endpoint.json as { connectionStatus: string }).connectionStatus, 'AVAILABLE', endpoint.text);
  const cluster = await client!.get(`${project}/clusters/Cluster0`);
  const strings = (cluster.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } }).connectionStrings;
  assert.equal(strings.privateEndpoint[0]?.srvConnectionString, 'mongodb+srv://cluster0-pl-0.f3777.privlink.test', cluster.text);
});

test("the local cloud keeps its accounts and the customer's endpoint, and now tracks its own migrations", async () => {
  const ec2 = new EC2Client({ endpoint: running!.localCloudUrl!, region: 'us-east-1', credentials: CUSTOMER, maxAttempts: 1 });
  try {
    const described = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [ENDPOINT] }));
    assert.equal(described.VpcEndpoints?.[0]?.State, 'available');
  } finally {
    ec2.destroy();
  }
  const tables = (await running!.store.db.introspection.getTables()).map((t) => t.name);
  assert.ok(tables.includes('lc_migration'), 'the local cloud has its own migrations table');
});
