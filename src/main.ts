import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { appContext, WORK_CHANNEL, type AppContext } from './app/app-context.js';
import { bootstrapIfEmpty } from './app/bootstrap.service.js';
import { CLUSTER_WORK } from './app/clusters.service.js';
import { ENDPOINT_SERVICE_WORK, INTERFACE_ENDPOINT_WORK } from './app/endpoint-services.service.js';
import { Authenticator } from './api/authenticate.js';
import { DigestAuthority } from './api/digest-auth.js';
import { buildApiServer } from './api/server.js';
import { describeConfig, type PrivlinkConfig } from './config/config.js';
import { nodeHorizon } from './app/node-horizons.js';
import { privateDnsRecords } from './app/private-dns.js';
import { createLocalCloudAws, type LocalCloudAws } from './localcloud/aws/local-cloud-aws.js';
import { DataPlaneHost } from './localcloud/dataplane-host/data-plane-host.js';
import { listenerDirectory } from './reconciler/listener-directory.js';
import { repositories } from './store/repositories.js';
import type { Logger } from './logging/logger.js';
import { AwsClientPool } from './providers/aws/aws-clients.js';
import { AwsProvider } from './providers/aws/aws.provider.js';
import { clusterReconciler, type ClusterRuntime } from './reconciler/cluster.reconciler.js';
import { Controller } from './reconciler/controller.js';
import { CrashPoints } from './reconciler/crash-points.js';
import { endpointServiceReconciler } from './reconciler/endpoint-service.reconciler.js';
import { interfaceEndpointReconciler } from './reconciler/interface-endpoint.reconciler.js';
import type { ListenerDirectory, ReconcileContext } from './reconciler/reconcile-context.js';
import { resyncAll, resyncClusters } from './reconciler/resync.js';
import { openStore, type Store } from './store/database.js';
import { SettingsRepository } from './store/settings.repository.js';

/** The contents of `<data-dir>/bootstrap.json` (mode 0600). */
export interface BootstrapFile {
  orgId: string;
  projectId: string;
  /** Added after the first release of the file; absent in files written before. */
  apiKeyId?: string;
  publicKey: string;
  privateKey: string;
  baseUrl: string;
  localCloud?: {
    endpoint: string;
    /** The customer account (its VPCs, subnets, endpoints): for `aws ec2 … --endpoint-url`. */
    customer: { accountId: string; accessKeyId: string; secretAccessKey: string };
    /** privlink's own provider account (load balancers, endpoint services), for inspection. */
    provider: { accountId: string; accessKeyId: string; secretAccessKey: string };
  };
}

/** A running privlink process: its URLs and a way to stop it cleanly. */
export interface RunningPrivlink {
  readonly apiUrl: string;
  readonly localCloudUrl: string | null;
  /** Port of the private DNS server (on 127.0.0.1). */
  readonly dnsPort: number;
  /** The local CA's certificate (trust it with `tlsCAFile=`); null without the local cloud. */
  readonly caPath: string | null;
  /** Set on the first start of an empty store: the created organization, project and key. */
  readonly createdBootstrap: BootstrapFile | null;
  readonly store: Store;
  readonly localCloud: LocalCloudAws | null;
  close(): Promise<void>;
}

/**
 * Wires a privlink process: config → store (migrations) → first-start bootstrap → local cloud →
 * AWS adapter → reconciler → Admin API. Every part is stopped by `close()` in reverse order.
 */
export async function startPrivlink(config: PrivlinkConfig, log: Logger): Promise<RunningPrivlink> {
  log.info('privlink starting', { config: describeConfig(config) });
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: config.dataDir });
  const closers: Array<() => Promise<void>> = [() => store.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error) => log.error('close failed', { error: String(error) }));
  };
  try {
    const ctx: AppContext = appContext(store, { domain: config.domain });
    const secret = await new SettingsRepository(store.db).getOrInit('digest.secret', randomBytes(32).toString('hex'));
    const authenticator = new Authenticator(store, new DigestAuthority(Buffer.from(secret, 'hex'), { nonceTtlMs: 300_000 }));
    const created = await bootstrapIfEmpty(ctx, config.bootstrapKey);

    let localCloud: LocalCloudAws | null = null;
    let localCloudUrl: string | null = null;
    if (config.localCloud.enabled) {
      localCloud = await createLocalCloudAws({ store, delays: config.localCloud.delays, loopbackBase: config.localCloud.loopbackBase });
      const served = await localCloud.listen(config.localCloud.host, config.localCloud.port);
      localCloudUrl = served.url;
      closers.push(async () => {
        await served.close();
        await localCloud!.close();
      });
    }
    // The data plane (private DNS, gateway, simulated nodes) runs in its own worker thread.
    const dataPlane = await DataPlaneHost.start({
      dns: { address: '127.0.0.1', port: config.dnsPort, ttl: 60 },
      localCloud: localCloud ? { source: localCloud, dataDir: config.dataDir } : null,
      lookups: {
        dnsRecords: (name, type, addresses) => privateDnsRecords(repositories(store.db), config.domain, addresses, name, type),
        horizon: (clusterId, targetName, via) => nodeHorizon(repositories(store.db), config.domain, clusterId, targetName, via),
      },
      writes: store.writes,
      log,
      logLevel: config.logLevel,
      onRestart: async () => {
        await resyncClusters(store);
        await store.notify(WORK_CHANNEL, '');
      },
    });
    closers.push(() => dataPlane.close());
    const runtime = localCloud ? dataPlane : null;

    const crash = new CrashPoints(config.testing.crashAt);
    let controller: Controller | undefined;
    if (config.reconciler.enabled) {
      const awsEndpoint = config.aws.mode === 'real' ? undefined : (config.aws.endpoint ?? localCloudUrl ?? undefined);
      if (config.aws.mode === 'local' && !awsEndpoint) throw new Error('The reconciler needs the local cloud (or PRIVLINK_AWS_ENDPOINT, or PRIVLINK_AWS=real).');
      const pool = new AwsClientPool({
        endpoint: awsEndpoint,
        credentials: config.aws.mode === 'local' && localCloud ? localCloud.accounts.provider : undefined,
        requestTimeoutMs: 10_000,
      });
      closers.push(async () => pool.destroy());
      const listeners: ListenerDirectory = listenerDirectory(store, runtime ?? undefined);
      const clusterRuntime: ClusterRuntime = runtime ?? { ensure: async () => false, remove: async () => undefined };
      const reconcileContext: ReconcileContext = {
        store,
        provider: new AwsProvider(pool),
        listeners,
        crash,
        log: log.child({ component: 'reconciler' }),
        notFoundGraceMs: config.reconciler.notFoundGraceMs,
        domain: config.domain,
        now: () => new Date(),
        announce: () => store.notify(WORK_CHANNEL, ''),
      };
      controller = new Controller(
        store,
        {
          [ENDPOINT_SERVICE_WORK]: endpointServiceReconciler(reconcileContext),
          [INTERFACE_ENDPOINT_WORK]: interfaceEndpointReconciler(reconcileContext),
          [CLUSTER_WORK]: clusterReconciler(reconcileContext, clusterRuntime),
        },
        { workers: config.reconciler.workers, leaseMs: config.reconciler.leaseMs, resyncMs: config.reconciler.resyncMs, resync: () => resyncAll(store) },
        log.child({ component: 'reconciler' }),
      );
      await controller.start();
      closers.push(() => controller!.stop());
    }

    const api = await buildApiServer({ ctx, authenticator, log: log.child({ component: 'api' }), publicUrl: config.publicUrl });
    await api.listen({ host: config.host, port: config.port });
    closers.push(() => api.close());
    const address = api.server.address() as AddressInfo;
    const apiUrl = config.publicUrl ?? `http://${config.host}:${address.port}`;

    const bootstrap = writeBootstrapFile(config.dataDir, created, apiUrl, localCloud, localCloudUrl);
    log.info('privlink ready', { apiUrl, localCloudUrl, dnsPort: dataPlane.dnsPort, dataDir: config.dataDir, backend: store.backend });
    return { apiUrl, localCloudUrl, dnsPort: dataPlane.dnsPort, caPath: dataPlane.caPath, createdBootstrap: created ? bootstrap : null, store, localCloud, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Writes `<data-dir>/bootstrap.json` (0600): on first start with the new key; later with the same
 * key (kept from the file) and the current URLs.
 */
function writeBootstrapFile(
  dataDir: string,
  created: { orgId: string; projectId: string; apiKeyId: string; publicKey: string; privateKey: string } | undefined,
  apiUrl: string,
  localCloud: LocalCloudAws | null,
  localCloudUrl: string | null,
): BootstrapFile | null {
  const path = join(dataDir, 'bootstrap.json');
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as BootstrapFile) : null;
  const identity = created ?? previous;
  if (!identity) return null;
  const file: BootstrapFile = {
    orgId: identity.orgId,
    projectId: identity.projectId,
    ...(identity.apiKeyId ? { apiKeyId: identity.apiKeyId } : {}),
    publicKey: identity.publicKey,
    privateKey: identity.privateKey,
    baseUrl: apiUrl,
    ...(localCloud && localCloudUrl
      ? {
          localCloud: {
            endpoint: localCloudUrl,
            customer: credentialsOf(localCloud.accounts.customer),
            provider: credentialsOf(localCloud.accounts.provider),
          },
        }
      : previous?.localCloud
        ? { localCloud: previous.localCloud } // a replica without the local cloud keeps what the one with it wrote
        : {}),
  };
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return file;
}

function credentialsOf(account: { accountId: string; accessKeyId: string; secretAccessKey: string }) {
  return { accountId: account.accountId, accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
}
