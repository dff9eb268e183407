import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DescribeVpcEndpointServiceConfigurationsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AtlasClient } from '../../src/client/atlas-client.js';
import type { StoreLocation } from '../../src/store/database.js';
import { runCliProcess, tempHome } from '../cli/support/cli-runner.js';
import { FAST_RECOVERY_ENV, waitForDeath } from '../support/crash-restarts.js';
import { until } from '../support/full-stack.js';
import { scrape } from '../support/prometheus-scrape.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { newStoreLocation, testBackend } from '../support/test-store.js';

// `privlink admin backup` while the server runs (embedded store: through the server; PostgreSQL:
// pg_dump), then more changes, then the store wiped, `privlink admin restore`, a new start: the API
// serves the backed-up rows and the reconciler converges the (local) cloud to them without making
// anything twice.

const home = tempHome();
const scratch = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'backup-'));
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
  home.cleanup();
});

function clients(server: ServerProcess) {
  const owner = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
  const aws = (region: string) => ({ endpoint: server.localCloudUrl!, region, maxAttempts: 1, credentials: server.bootstrap.localCloud!.provider });
  return {
    owner,
    project: `/api/atlas/v2/groups/${server.bootstrap.projectId}`,
    ec2: (region: string) => new EC2Client(aws(region)),
    elb: (region: string) => new ElasticLoadBalancingV2Client(aws(region)),
  };
}

/** Live load balancers and VPC endpoint services of privlink's provider account in `region`. */
async function cloudIn(server: ServerProcess, region: string): Promise<{ loadBalancers: string[]; services: number }> {
  const c = clients(server);
  const ec2 = c.ec2(region);
  const elb = c.elb(region);
  try {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const services = ((await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({}))).ServiceConfigurations ?? []).filter((s) => s.ServiceState !== 'Deleted');
    return { loadBalancers: lbs.map((lb) => lb.LoadBalancerName!).sort(), services: services.length };
  } finally {
    ec2.destroy();
    elb.destroy();
    c.owner.close();
  }
}

async function createService(server: ServerProcess, region: string): Promise<string> {
  const c = clients(server);
  try {
    const created = await c.owner.post(`${c.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
    assert.equal(created.status, 201, created.text);
    return (created.json as { id: string }).id;
  } finally {
    c.owner.close();
  }
}

async function serviceAvailable(server: ServerProcess, serviceId: string) {
  const c = clients(server);
  try {
    return await until(
      () => c.owner.get(`${c.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
      (r) => r.status !== 200 || (r.json as { status?: string }).status === 'AVAILABLE',
      30_000,
    );
  } finally {
    c.owner.close();
  }
}

/** `privlink admin <command> <file>` as a subprocess against `location` (DATABASE_URL on PostgreSQL). */
function admin(command: 'backup' | 'restore', file: string, location: StoreLocation, dataDir: string) {
  return runCliProcess(['admin', command, file, '--data-dir', dataDir], {
    home: home.home,
    env: location.kind === 'postgres' ? { DATABASE_URL: location.url } : {},
    timeoutMs: 120_000,
  });
}

/** Wipes the store: the embedded data directory is deleted; on PostgreSQL an empty database replaces it. */
async function wipe(server: ServerProcess): Promise<StoreLocation> {
  if (server.location.kind === 'pglite') {
    rmSync(server.location.dataDir, { recursive: true, force: true });
    return server.location;
  }
  const fresh = await newStoreLocation({ empty: true }); // a restore needs an empty database
  cleanups.push(fresh.drop);
  return fresh.location;
}

/** Every entry under `dir` that is not private (directories 0700, files 0600). */
function notPrivate(dir: string): string[] {
  const wrong: string[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    const mode = stat.mode & 0o777;
    if (mode !== (stat.isDirectory() ? 0o700 : 0o600)) wrong.push(`${path} ${mode.toString(8)}`);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return wrong;
}

/** Waits until the reconciler of `server` has finished a pass over an endpoint service (the start's resync). */
async function reconciledOnce(server: ServerProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await scrape(server.apiUrl)).value('privlink_reconcile_passes_total', { kind: 'endpoint-service', outcome: 'done' }) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no endpoint-service reconcile pass:\n${server.output()}`);
}

describe('backup and restore', { concurrency: false }, () => {
  test('backup while serving, more changes, wipe, restore, start: the backed-up rows are served and the cloud converges to them', async () => {
    const first = await startServer();
    cleanups.push(() => first.destroy());
    const kept = await createService(first, 'us-east-1');
    assert.equal((await serviceAvailable(first, kept)).status, 200);

    const file = join(scratch, 'while-running', 'privlink.backup');
    const backup = await admin('backup', file, first.location, first.dataDir);
    assert.equal(backup.code, 0, backup.stderr);
    if (testBackend() === 'pglite') assert.match(backup.stderr, /taken by the running server/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the backup file is private');
    assert.equal(statSync(join(scratch, 'while-running')).mode & 0o777, 0o700, 'a folder the backup makes is private');

    // After the backup: another service, made in the cloud too.
    const later = await createService(first, 'us-west-2');
    assert.equal((await serviceAvailable(first, later)).status, 200);
    await first.stop();

    const location = await wipe(first);
    const restored = await admin('restore', file, location, first.dataDir);
    assert.equal(restored.code, 0, restored.stderr);
    if (location.kind === 'pglite') assert.deepEqual(notPrivate(location.dataDir), []);
    const again = await admin('restore', file, location, first.dataDir);
    assert.notEqual(again.code, 0, 'a restore over a store is refused');
    assert.match(again.stderr, /not empty/);

    const second = await startServer({ location, dataDir: first.dataDir });
    cleanups.push(() => second.stop());
    await reconciledOnce(second);
    const c = clients(second);
    try {
      const service = await serviceAvailable(second, kept);
      assert.equal(service.status, 200, service.text);
      assert.equal((service.json as { status: string }).status, 'AVAILABLE');
      const list = await c.owner.get(`${c.project}/privateEndpoint/AWS/endpointService`);
      assert.deepEqual(
        (list.json as Array<{ id: string }>).map((s) => s.id),
        [kept],
        'exactly the backed-up services',
      );
      assert.equal((await c.owner.get(`${c.project}/privateEndpoint/AWS/endpointService/${later}`)).status, 404);
      const events = await c.owner.get(`${c.project}/events`);
      assert.equal(events.status, 200, events.text);
    } finally {
      c.owner.close();
    }
    assert.deepEqual(await cloudIn(second, 'us-east-1'), { loadBalancers: [`pl-${kept}`], services: 1 }, 'one load balancer and endpoint service, none made twice');
    // The local cloud keeps its state in the same store: restored to the backup, it holds nothing of the later service.
    assert.deepEqual(await cloudIn(second, 'us-west-2'), { loadBalancers: [], services: 0 });
  });

  test('a backup of a store whose load balancer was made but not yet recorded converges without a second one', async () => {
    // SIGKILL right after the cloud made the endpoint service, before privlink recorded it; then a
    // backup of the stopped store (embedded: from the directory itself).
    const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: 'after-create-endpoint-service' } });
    cleanups.push(() => first.destroy());
    const serviceId = await createService(first, 'us-east-1');
    assert.equal(await waitForDeath(first), 'SIGKILL');

    const file = join(scratch, 'mid-create.backup');
    const backup = await admin('backup', file, first.location, first.dataDir);
    assert.equal(backup.code, 0, backup.stderr);
    const location = await wipe(first);
    const restored = await admin('restore', file, location, first.dataDir);
    assert.equal(restored.code, 0, restored.stderr);

    const second = await startServer({ location, dataDir: first.dataDir, env: FAST_RECOVERY_ENV });
    cleanups.push(() => second.stop());
    const service = await serviceAvailable(second, serviceId);
    assert.equal((service.json as { status: string }).status, 'AVAILABLE', service.text);
    assert.deepEqual(await cloudIn(second, 'us-east-1'), { loadBalancers: [`pl-${serviceId}`], services: 1 }, 'the restored cloud resources were adopted, not made again');
  });
});
