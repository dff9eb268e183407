import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AtlasClient, type AtlasResponse } from '../../src/client/atlas-client.js';
import { buildConfig } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { startPrivlink, type BootstrapFile, type PrivlinkHooks, type RunningPrivlink } from '../../src/main.js';
import { newStoreLocation } from './test-store.js';

/** A whole privlink (API, reconciler, local cloud) in this process on free ports and a fresh store. */
export interface Stack {
  readonly running: RunningPrivlink;
  readonly bootstrap: BootstrapFile;
  /** The data directory (bootstrap.json, the local CA): what `--data-dir` names for the CLI. */
  readonly dataDir: string;
  readonly owner: AtlasClient;
  readonly projectId: string;
  /** v2 path prefix of the bootstrap project. */
  readonly project: string;
  /** EC2 client of the local cloud's default customer account in `region`. */
  customerEc2(region?: string): EC2Client;
  /** EC2 / ELBv2 clients of privlink's provider account (to inspect what the adapter made). */
  providerEc2(region?: string): EC2Client;
  providerElb(region?: string): ElasticLoadBalancingV2Client;
  client(publicKey: string, privateKey: string): AtlasClient;
  close(): Promise<void>;
}

export async function startStack(
  env: Record<string, string> = {},
  hooks: PrivlinkHooks = {},
  options: { log?: Logger; store?: Awaited<ReturnType<typeof newStoreLocation>> } = {},
): Promise<Stack> {
  const { location, drop } = options.store ?? (await newStoreLocation());
  const config = buildConfig(
    { port: 0, localcloudPort: 0, dnsPort: 0, dataDir: location.kind === 'pglite' ? location.dataDir : undefined },
    {
      PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: String(20 + Math.floor(Math.random() * 200)),
      PRIVLINK_ENDPOINT_NOT_FOUND_GRACE_MS: '300',
      ...(location.kind === 'postgres'
        ? { DATABASE_URL: location.url, PRIVLINK_DATA_DIR: `${process.env.PRIVLINK_TEST_SCRATCH ?? '/tmp'}/stack-${Date.now()}-${Math.random()}` }
        : {}),
      ...env,
    },
  );
  const running = await startPrivlink(config, options.log ?? createLogger((process.env.PRIVLINK_TEST_LOG_LEVEL as 'warn') ?? 'warn'), hooks);
  const bootstrap = running.createdBootstrap!;
  const clients: Array<{ destroy(): void } | AtlasClient> = [];
  const client = (publicKey: string, privateKey: string) => {
    const c = new AtlasClient({ baseUrl: running.apiUrl, publicKey, privateKey });
    clients.push(c);
    return c;
  };
  const sdk = <T extends { destroy(): void }>(make: () => T) => {
    const c = make();
    clients.push(c);
    return c;
  };
  const aws = (account: 'customer' | 'provider', region: string) => ({
    endpoint: running.localCloudUrl!,
    region,
    maxAttempts: 1,
    credentials: { accessKeyId: bootstrap.localCloud![account].accessKeyId, secretAccessKey: bootstrap.localCloud![account].secretAccessKey },
  });
  return {
    running,
    bootstrap,
    dataDir: config.dataDir,
    owner: client(bootstrap.publicKey, bootstrap.privateKey),
    projectId: bootstrap.projectId,
    project: `/api/atlas/v2/groups/${bootstrap.projectId}`,
    customerEc2: (region = 'us-east-1') => sdk(() => new EC2Client(aws('customer', region))),
    providerEc2: (region = 'us-east-1') => sdk(() => new EC2Client(aws('provider', region))),
    providerElb: (region = 'us-east-1') => sdk(() => new ElasticLoadBalancingV2Client(aws('provider', region))),
    client,
    async close() {
      for (const c of clients) {
        if (c instanceof AtlasClient) c.close();
        else c.destroy();
      }
      await running.close();
      await drop();
    },
  };
}

/** Polls `fetch` until `done(response)` or the timeout; returns the last response. */
export async function until(fetch: () => Promise<AtlasResponse>, done: (r: AtlasResponse) => boolean, timeoutMs = 20_000): Promise<AtlasResponse> {
  const deadline = Date.now() + timeoutMs;
  let last = await fetch();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out; last response ${last.status} ${last.text}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await fetch();
  }
  return last;
}

/** Creates a three-node AWS replica set `name` in us-east-1 in the stack's project (asserts the 201). */
export async function createAwsCluster(stack: Stack, name: string): Promise<void> {
  const cluster = await stack.owner.post(`${stack.project}/clusters`, {
    name,
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(cluster.status, 201, cluster.text);
}

/**
 * A three-node AWS cluster `Cluster0` in us-east-1 and an AWS endpoint service there, waited for
 * until AVAILABLE: the provider side every connect-through-an-endpoint test starts from.
 */
export async function clusterWithAvailableService(stack: Stack, timeoutMs?: number): Promise<{ serviceId: string; serviceName: string }> {
  await createAwsCluster(stack, 'Cluster0');
  const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  const serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
    timeoutMs,
  );
  return { serviceId, serviceName: (ready.json as { endpointServiceName: string }).endpointServiceName };
}

/** Registers the customer's VPC endpoint `vpce` with AWS endpoint service `serviceId` (asserts the 201) and waits until it is AVAILABLE. */
export async function registerAwsEndpoint(stack: Stack, serviceId: string, vpce: string): Promise<void> {
  assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
  );
}

/** Waits until cluster `name` publishes a private-endpoint-aware string; the first one's SRV string. */
export async function privateEndpointSrv(stack: Stack, name = 'Cluster0'): Promise<string> {
  const cluster = await until(
    () => stack.owner.get(`${stack.project}/clusters/${name}`),
    (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
  );
  return (cluster.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } }).connectionStrings.privateEndpoint[0]!.srvConnectionString;
}

/**
 * A three-node Azure cluster `Cluster0` in US_EAST_2, its endpoint service, and the customer's
 * private endpoint to it made with the official SDK (examples/azure/create-private-endpoint.mjs),
 * registered and waited for until AVAILABLE: what every connect-through-an-Azure-endpoint test
 * starts from.
 */
export async function azureAvailableEndpoint(stack: Stack): Promise<{ serviceId: string; registered: { id: string; privateEndpointIPAddress: string } }> {
  const cluster = await stack.owner.post(`${stack.project}/clusters`, {
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AZURE', regionName: 'US_EAST_2', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(cluster.status, 201, cluster.text);
  const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AZURE', region: 'US_EAST_2' });
  const serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  const plsId = (ready.json as { privateLinkServiceResourceId: string }).privateLinkServiceResourceId;
  const registered = await customerAzurePrivateEndpoint(stack, ['--private-link-service-id', plsId, '--location', 'eastus2']);
  const created = await stack.owner.post(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint`, registered);
  assert.equal(created.status, 201, created.text);
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(registered.id)}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  return { serviceId, registered };
}

/** Runs examples/azure/create-private-endpoint.mjs with `args` as a customer would, with the local cloud's customer principal; the private endpoint it made. */
export async function customerAzurePrivateEndpoint(stack: Stack, args: string[]): Promise<{ id: string; privateEndpointIPAddress: string }> {
  const azure = stack.bootstrap.localCloud!.azure!;
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/azure/create-private-endpoint.mjs', ...args], {
    env: {
      ...process.env,
      AZURE_TENANT_ID: azure.customer.tenantId,
      AZURE_CLIENT_ID: azure.customer.clientId,
      AZURE_CLIENT_SECRET: azure.customer.clientSecret,
      AZURE_SUBSCRIPTION_ID: azure.customer.subscriptionId,
      AZURE_AUTHORITY_HOST: azure.endpoint,
      AZURE_RESOURCE_MANAGER_ENDPOINT: azure.endpoint,
      NODE_EXTRA_CA_CERTS: azure.caPath!,
      AZURE_POLL_INTERVAL_MS: '20',
    },
  });
  return JSON.parse(stdout) as { id: string; privateEndpointIPAddress: string };
}
