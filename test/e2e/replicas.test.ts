import assert from 'node:assert/strict';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { until } from '../support/full-stack.js';
import { scrape } from '../support/prometheus-scrape.js';
import { addAccessKeyPoolAccount } from '../support/provider-pool.js';
import { startServer } from '../support/server-process.js';
import { testBackend } from '../support/test-store.js';

// Several privlink processes on one store. On PostgreSQL they share the work: requests to either
// API, reconciled by either process (leases, SKIP LOCKED, LISTEN/NOTIFY), with no resource made
// twice. On PGlite a second process on the same data directory is refused, clearly.
if (testBackend() === 'postgres') {
  test('two replicas on one PostgreSQL database share the work without duplicates', async () => {
    const first = await startServer({ env: { PRIVLINK_RECONCILER_WORKERS: '2' } });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      // The second replica runs no local cloud of its own: it drives the first one's.
      second = await startServer({
        location: first.location,
        dataDir: first.dataDir,
        args: ['--no-localcloud'],
        env: { PRIVLINK_AWS_ENDPOINT: first.localCloudUrl!, PRIVLINK_RECONCILER_WORKERS: '2' },
      });
      const viaFirst = new AtlasClient({ baseUrl: first.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      const viaSecond = new AtlasClient({ baseUrl: second.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      const project = `/api/atlas/v2/groups/${first.bootstrap.projectId}`;
      const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
      const ids = [];
      for (const [i, region] of regions.entries()) {
        const client = i % 2 === 0 ? viaFirst : viaSecond;
        const res = await client.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
        assert.equal(res.status, 201, res.text);
        ids.push((res.json as { id: string }).id);
      }
      // A duplicate sent to the other replica is still a 409: the rule holds across processes.
      assert.equal((await viaSecond.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' })).status, 409);
      for (const id of ids) {
        const client = Math.random() < 0.5 ? viaFirst : viaSecond;
        await until(
          () => client.get(`${project}/privateEndpoint/AWS/endpointService/${id}`),
          (r) => (r.json as { status: string }).status === 'AVAILABLE',
          60_000,
        );
      }
      for (const region of regions) {
        const elb = new ElasticLoadBalancingV2Client({ endpoint: first.localCloudUrl!, region, maxAttempts: 1, credentials: first.bootstrap.localCloud!.provider });
        const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
        elb.destroy();
        assert.equal(lbs.length, 1, `${region}: exactly one load balancer`);
      }
      viaFirst.close();
      viaSecond.close();
    } finally {
      await second?.stop();
      await first.destroy();
    }
  });

  test('a replica killed while it holds leases: a live replica takes its work over within the lease time, nothing stuck, nothing made twice', async () => {
    const LEASE_MS = 3000;
    const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1'];
    // The local cloud and the API in one process that reconciles nothing; two reconciling replicas
    // beside it. The doomed one dies (SIGKILL) right after its first cloud create, before the
    // store knows of it; the survivor is frozen (SIGSTOP) while the doomed one claims, so the
    // doomed one surely holds leases when it dies, then thawed: a live replica, not a restart.
    const host = await startServer({ args: ['--no-reconciler'] });
    const replica = (env: Record<string, string>) =>
      startServer({
        location: host.location,
        dataDir: host.dataDir,
        args: ['--no-localcloud'],
        env: { PRIVLINK_AWS_ENDPOINT: host.localCloudUrl!, PRIVLINK_RECONCILER_LEASE_MS: String(LEASE_MS), PRIVLINK_RECONCILER_WORKERS: '4', ...env },
      });
    let doomed: Awaited<ReturnType<typeof startServer>> | undefined;
    let survivor: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      survivor = await replica({});
      doomed = await replica({ PRIVLINK_TEST_CRASH_AT: 'after-create-endpoint-service' });
      const client = new AtlasClient({ baseUrl: host.apiUrl, publicKey: host.bootstrap.publicKey, privateKey: host.bootstrap.privateKey });
      // A pool account with keys every replica holds (the local cloud's customer account, so that
      // the test can read what was made in it with the same keys).
      const keys = host.bootstrap.localCloud!.customer;
      await addAccessKeyPoolAccount(client, host.bootstrap.orgId, 'pool-a', keys);
      survivor.child.kill('SIGSTOP');
      const project = `/api/atlas/v2/groups/${host.bootstrap.projectId}`;
      const ids: string[] = [];
      for (const region of regions) {
        const res = await client.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
        assert.equal(res.status, 201, res.text);
        ids.push((res.json as { id: string }).id);
      }
      const death = await Promise.race([
        doomed.exited,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the doomed replica did not crash:\n${doomed!.output()}`)), 30_000)),
      ]);
      const diedAt = Date.now();
      assert.equal(death.signal, 'SIGKILL');
      survivor.child.kill('SIGCONT');

      // Every service becomes AVAILABLE; the one cut off mid-create only after its lease lapsed.
      for (const id of ids) {
        const ready = await until(
          () => client.get(`${project}/privateEndpoint/AWS/endpointService/${id}`),
          (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
          LEASE_MS + 30_000,
        );
        assert.equal((ready.json as { status: string }).status, 'AVAILABLE', ready.text);
      }
      const handedOverMs = Date.now() - diedAt;
      // The lease time, the survivor's idle poll (at most 1 s) and its passes; far from the
      // minutes a stuck item would take (a resync).
      assert.ok(handedOverMs < LEASE_MS + 10_000, `all AVAILABLE ${handedOverMs} ms after the crash`);
      const takeovers = (await scrape(survivor.apiUrl)).value('privlink_reconcile_lease_takeovers_total');
      assert.ok(takeovers >= 1, `the survivor took at least one lapsed lease over (metrics: ${takeovers})`);

      // The service created in the cloud just before the crash was adopted, not made again.
      for (const region of regions) {
        const elb = new ElasticLoadBalancingV2Client({ endpoint: host.localCloudUrl!, region, maxAttempts: 1, credentials: keys });
        const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
        elb.destroy();
        assert.equal(lbs.length, 1, `${region}: exactly one load balancer`);
      }
      client.close();
    } finally {
      if (survivor) survivor.child.kill('SIGCONT');
      await survivor?.stop();
      await doomed?.stop();
      await host.destroy();
    }
  });

  test("a replica without the local cloud reconciles a cluster, its endpoint service and a serverless instance: the nodes and front end run in the local cloud's process, the listeners point at them, the driver connects", async () => {
    // Every pass is the replica's: the process with the local cloud reconciles nothing, it only
    // runs the simulated nodes the replica asks for and publishes where they listen.
    const host = await startServer({ args: ['--no-reconciler'] });
    let replica: Awaited<ReturnType<typeof startServer>> | undefined;
    const dns = privateDns(host.dnsPort);
    try {
      // The replica's own AWS credentials (the SDK's environment variables) are the local cloud's
      // provider account's, which is also its one pool account; the test reads with the same keys.
      const keys = host.bootstrap.localCloud!.provider;
      replica = await startServer({
        location: host.location,
        dataDir: host.dataDir,
        args: ['--no-localcloud'],
        env: { PRIVLINK_AWS_ENDPOINT: host.localCloudUrl!, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
      });
      const client = new AtlasClient({ baseUrl: replica.apiUrl, publicKey: host.bootstrap.publicKey, privateKey: host.bootstrap.privateKey });
      await addAccessKeyPoolAccount(client, host.bootstrap.orgId, 'pool-a', keys);
      const project = `/api/atlas/v2/groups/${host.bootstrap.projectId}`;
      const cluster = await client.post(`${project}/clusters`, {
        name: 'Cluster0',
        clusterType: 'REPLICASET',
        replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
      });
      assert.equal(cluster.status, 201, cluster.text);
      const service = await client.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
      assert.equal(service.status, 201, service.text);
      const serviceId = (service.json as { id: string }).id;
      const ready = await until(
        () => client.get(`${project}/privateEndpoint/AWS/endpointService/${serviceId}`),
        (r) => (r.json as { status: string }).status === 'AVAILABLE',
        60_000,
      );
      await until(
        () => client.get(`${project}/clusters/Cluster0`),
        (r) => (r.json as { stateName: string }).stateName === 'IDLE',
        60_000,
      );
      const ec2 = new EC2Client({ endpoint: host.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: host.bootstrap.localCloud!.customer });
      const vpce = await customerEndpoint(ec2, (ready.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
      ec2.destroy();
      assert.equal((await client.post(`${project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
      await until(
        () => client.get(`${project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
        (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
        60_000,
      );
      // The load balancer forwards one port per node, each to a node that runs.
      const elb = new ElasticLoadBalancingV2Client({ endpoint: host.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: keys });
      const lb = ((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [])[0]!;
      const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
      elb.destroy();
      assert.deepEqual(listeners.map((l) => l.Port).sort(), [1024, 1025, 1026]);

      const withStrings = await until(
        () => client.get(`${project}/clusters/Cluster0`),
        (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
        30_000,
      );
      const srv = (withStrings.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } }).connectionStrings.privateEndpoint[0]!
        .srvConnectionString;
      // The private DNS answers from the data plane's picture of the local cloud, which follows the
      // endpoint's state a moment after the Admin API does: ask until it has the address.
      const hostName = `pl-0-us-east-1.${/cluster0-pl-0\.([a-z0-9]+)\./.exec(srv)![1]}.privlink.test`;
      const resolveOnce = () => new Promise<string>((resolve, reject) => dns.lookup(hostName, {}, (error, address) => (error ? reject(error) : resolve(String(address)))));
      let endpointAddress: string | undefined;
      for (const deadline = Date.now() + 20_000; !endpointAddress; ) {
        endpointAddress = await resolveOnce().catch((error: Error) => {
          assert.ok(Date.now() < deadline, `the private DNS never answered ${hostName}: ${error.message}`);
          return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 200));
        });
      }
      // A client inside the customer VPC: another address of the endpoint's subnet.
      const [a, b, c] = endpointAddress.split('.');
      const driver = new MongoClient(`${srv}/?tls=false`, {
        lookup: dns.lookup,
        localAddress: `${a}.${b}.${c}.250`,
        serverSelectionTimeoutMS: 8000,
        connectTimeoutMS: 3000,
      } as MongoClientOptions);
      try {
        const hello = await driver.db('admin').command({ hello: 1 });
        assert.equal(hello.hosts.length, 3, JSON.stringify(hello));
        assert.ok(hello.isWritablePrimary || hello.secondary, JSON.stringify(hello));
      } finally {
        await driver.close();
      }

      // A serverless instance the same way: its front end runs in the local cloud's process, and
      // the load balancer of its private endpoint forwards 27017 to it.
      const instance = await client.post(`${project}/serverless`, {
        name: 'Serverless0',
        providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
      });
      assert.equal(instance.status, 201, instance.text);
      await until(
        () => client.get(`${project}/serverless/Serverless0`),
        (r) => (r.json as { stateName: string }).stateName === 'IDLE',
        60_000,
      );
      const reserve = await client.post(`${project}/privateEndpoint/serverless/instance/Serverless0/endpoint`, {});
      assert.equal(reserve.status, 201, reserve.text);
      await until(
        () => client.get(`${project}/privateEndpoint/serverless/instance/Serverless0/endpoint/${(reserve.json as { _id: string })._id}`),
        (r) => (r.json as { status: string }).status === 'RESERVED',
        60_000,
      );
      const frontEndListener = async () => {
        const elb = new ElasticLoadBalancingV2Client({ endpoint: host.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: keys });
        try {
          for (const balancer of (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []) {
            const ports = ((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: balancer.LoadBalancerArn }))).Listeners ?? []).map((l) => l.Port);
            if (ports.includes(27017)) return true;
          }
          return false;
        } finally {
          elb.destroy();
        }
      };
      const deadline = Date.now() + 30_000;
      while (!(await frontEndListener())) {
        assert.ok(Date.now() < deadline, 'no load balancer forwards 27017 to the serverless front end');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      client.close();
    } finally {
      dns.restore();
      await replica?.stop();
      await host.destroy();
    }
  });

  test('a replica without a local cloud places services in local-cloud pool accounts of the replica that runs it', async () => {
    // The first replica runs the local cloud and no reconciler: every pass is the second one's.
    const first = await startServer({ args: ['--no-reconciler'] });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      second = await startServer({ location: first.location, dataDir: first.dataDir, args: ['--no-localcloud'], env: { PRIVLINK_AWS_ENDPOINT: first.localCloudUrl! } });
      const client = new AtlasClient({ baseUrl: second.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      const added = await client.post(`/api/atlas/v2/orgs/${first.bootstrap.orgId}/privlink/providerAccounts`, { name: 'shared-1', kind: 'LOCAL_CLOUD' });
      assert.equal(added.status, 201, added.text);
      const project = `/api/atlas/v2/groups/${first.bootstrap.projectId}`;
      const created = await client.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
      assert.equal(created.status, 201, created.text);
      const id = (created.json as { id: string }).id;
      const ready = await until(
        () => client.get(`${project}/privateEndpoint/AWS/endpointService/${id}`),
        (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
        60_000,
      );
      assert.equal((ready.json as { status: string }).status, 'AVAILABLE', ready.text);
      client.close();
      assert.doesNotMatch(second.output(), /runs no local cloud/);
    } finally {
      await second?.stop();
      await first.destroy();
    }
  });
} else {
  test('a second process on the same PGlite data directory refuses to start, saying why', async () => {
    const first = await startServer();
    try {
      await assert.rejects(
        startServer({ location: first.location, dataDir: first.dataDir }),
        (error: Error) => /is in use by another privlink process \(pid \d+\)/.test(error.message) && /DATABASE_URL/.test(error.message),
      );
      // The first one is unaffected.
      const client = new AtlasClient({ baseUrl: first.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      assert.equal((await client.get(`/api/atlas/v2/groups/${first.bootstrap.projectId}`)).status, 200);
      client.close();
    } finally {
      await first.destroy();
    }
  });
}
