import type { FastifyInstance } from 'fastify';
import type { CloudProvider } from './domain/regions.js';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { appContext, type AppContext } from './app/app-context.js';
import { WORK_CHANNEL } from './domain/work-kinds.js';
import { claimBootstrapKey, ensureBootstrap, type BootstrapKey } from './app/bootstrap.service.js';
import { storeReadiness } from './app/readiness.service.js';
import { Authenticator } from './api/atlas/authenticate.js';
import { CREDENTIAL_TABLES, credentialsLookup } from './app/authentication.service.js';
import { DigestAuthority } from './api/atlas/digest-auth.js';
import { buildApiServer } from './api/server.js';
import { ConsoleSessions } from './app/console-sessions.service.js';
import { describeConfig, type PrivlinkConfig } from './config/config.js';
import { nodeDatabaseUser } from './app/node-users.js';
import { nodeHorizon } from './app/node-horizons.js';
import { PUBLIC_ROUTE_TABLES, publicAccessList } from './app/public-path.js';
import { PublicRouteBook } from './app/public-route-book.js';
import { privateDnsAnswer } from './app/private-dns-zone.js';
import { appTrafficAccess } from './app/appservices-traffic.js';
import { createLocalCloudAws, ensureSharedLocalCloudAccount, type LocalCloudAws } from './localcloud/aws/local-cloud-aws.js';
import { createLocalCloudAzure, type LocalCloudAzure } from './localcloud/azure/local-cloud-azure.js';
import { azureSnapshotSource } from './localcloud/azure/azure-snapshot-source.js';
import { createLocalCloudGcp, type LocalCloudGcp } from './localcloud/gcp/local-cloud-gcp.js';
import { gcpSnapshotSource } from './localcloud/gcp/gcp-snapshot-source.js';
import { mergedSnapshotSource } from './localcloud/common/merged-snapshot-source.js';
import { listEditOf, type PictureList, type SnapshotEndpoint } from './localcloud/common/data-plane-snapshot.js';
import { DataPlaneHost } from './localcloud/dataplane-host/data-plane-host.js';
import { apiConnections, dataPlaneOpenFiles, localCloudApiConnections, processOpenFileLimit, processOpenFiles } from './localcloud/dataplane-host/open-file-limit.js';
import { throttledWarning } from './localcloud/dataplane-host/worker-logger.js';
import { listenerDirectory } from './reconciler/listener-directory.js';
import { repositories } from './store/repositories.js';
import type { Logger } from './logging/logger.js';
import { AwsClientPool } from './providers/aws/aws-clients.js';
import { AwsProvider } from './providers/aws/aws.provider.js';
import { AzureClientPool } from './providers/azure/azure-clients.js';
import { AzureProvider } from './providers/azure/azure.provider.js';
import { GcpClientPool, GcpClients } from './providers/gcp/gcp-clients.js';
import { GcpProvider } from './providers/gcp/gcp.provider.js';
import { providerRegistry } from './providers/provider-registry.js';
import type { ClusterRuntime } from './reconciler/cluster.reconciler.js';
import { publishedAddresses, publishingRuntime, remoteRuntime, serveNodeRequests, type PublishingRuntime } from './reconciler/published-nodes.js';
import { Controller } from './reconciler/controller.js';
import { CrashPoints, type HoldPoint } from './reconciler/crash-points.js';
import type { ListenerDirectory, ReconcileContext } from './reconciler/reconcile-context.js';
import { ProviderAccountAccessor } from './reconciler/provider-accounts.js';
import { ProviderPlacement } from './reconciler/provider-placement.js';
import { resyncAll, resyncClusters } from './reconciler/resync.js';
import { startAccessListExpiry } from './reconciler/access-list-expiry.js';
import { webhookTargetCheck } from './webhooks/address-guard.js';
import { startWebhookDelivery } from './webhooks/delivery-worker.js';
import { CloudEndpointWatch } from './reconciler/cloud-endpoint-watch.js';
import { startConnectionNotificationPoller } from './reconciler/connection-notification-poller.js';
import { AwsNotificationQueue } from './providers/aws/aws-notification-queue.js';
import { topicRegion } from './providers/aws/aws-notifications.js';
import { workKinds } from './reconciler/work-kinds.js';
import { readBootstrapFile, writeBootstrapFile, bootstrapFilePath, writeGcpKey, type BootstrapFile } from './store/bootstrap-file.js';
import { openStore, storeLocation, type Store } from './store/database.js';
import { openBackupChannel } from './store/backup-channel.js';
import { secureDataDir } from './store/data-dir-permissions.js';
import { SettingsRepository } from './store/settings.repository.js';
import { MetricsRepository } from './store/metrics.repository.js';
import { PrivlinkMetrics, type CapacityFigures } from './observability/metrics.js';
import { capacityReport, type CapacityLine } from './app/provider-accounts.service.js';
import { instrumentedAdapter } from './observability/instrumented-adapter.js';
import { contextualLogger } from './observability/request-context.js';
import { HostNetwork, KernelDataPlaneUnavailableError } from './localcloud/kernel/host-network.js';
export { KernelDataPlaneUnavailableError } from './localcloud/kernel/host-network.js';
import { instanceTag } from './localcloud/kernel/kernel-plan.js';
import { startOtlpTracing } from './observability/otlp-tracing.js';

export type { BootstrapFile } from './store/bootstrap-file.js';

/** TTL of the private DNS's records and of its negative answers (Atlas's SRV/TXT records carry 60). */
const DNS_TTL = 60;
/** The private DNS listens on loopback (see docs/connecting.md to send a host's `<domain>` queries there). */
const DNS_HOST = '127.0.0.1';

/** A running privlink process: its URLs and a way to stop it cleanly. */
export interface RunningPrivlink {
  readonly apiUrl: string;
  readonly localCloudUrl: string | null;
  /** Port of the private DNS server (on 127.0.0.1). */
  readonly dnsPort: number;
  /** The local CA's certificate (trust it with `tlsCAFile=`); null without the local cloud. */
  readonly caPath: string | null;
  /** Set when this start hands out a key the user has not seen (first start, or recovery of one that failed). */
  readonly createdBootstrap: BootstrapFile | null;
  readonly store: Store;
  readonly localCloud: LocalCloudAws | null;
  /** The local cloud's Azure Resource Manager, when it runs. */
  readonly azureCloud: LocalCloudAzure | null;
  /** The local cloud's Compute Engine, when it runs. */
  readonly gcpCloud: LocalCloudGcp | null;
  /** This process's Prometheus metrics (null with `PRIVLINK_METRICS=off`). */
  readonly metrics: PrivlinkMetrics | null;
  /** The Admin API's Fastify instance (benchmarks drive it with `inject`, without sockets). */
  readonly api: FastifyInstance;
  /** Where the App Services front end answers on its public side (`services.<domain>`); null without the local cloud. */
  appServicesPublicAddress(): Promise<{ host: string; port: number } | null>;
  close(): Promise<void>;
}

/**
 * Wires a privlink process: config → store (migrations) → first-start bootstrap → local cloud →
 * AWS adapter → reconciler → Admin API. Every part is stopped by `close()` in reverse order.
 */
/** Observers a caller may attach to a process (metrics, tests). */
export interface PrivlinkHooks {
  /** Called for every call the reconciler's provider adapter sends to a cloud API. */
  readonly onProviderCall?: (provider: CloudProvider, operation: string) => void;
  /** Tests only: a reconcile pass reaching a hold point (CrashPoints.hold) waits for this to settle. */
  readonly holdReconcileAt?: HoldPoint;
}

/**
 * The clouds this deployment serves: AWS always (the local cloud or AWS itself); Azure and GCP
 * each against the cloud itself, or against the local cloud when this process runs it.
 */
function servedProviders(config: PrivlinkConfig): CloudProvider[] {
  const azure = config.azure.mode === 'real' || (config.azure.mode === 'local' && config.localCloud.enabled);
  const gcp = config.gcp.mode === 'real' || (config.gcp.mode === 'local' && config.localCloud.enabled);
  return ['AWS', ...(azure ? (['AZURE'] as const) : []), ...(gcp ? (['GCP'] as const) : [])];
}

export async function startPrivlink(config: PrivlinkConfig, log: Logger, hooks: PrivlinkHooks = {}): Promise<RunningPrivlink> {
  log.info('privlink starting', { config: describeConfig(config) });
  if (config.localCloud.enabled && config.localCloud.dataPlane === 'kernel') {
    const why = await HostNetwork.unavailable();
    if (why) throw new KernelDataPlaneUnavailableError(`PRIVLINK_LOCALCLOUD_DATA_PLANE=kernel cannot run here: ${why}. Leave it unset for the loopback data plane.`);
  }
  const fixedModes = secureDataDir(config.dataDir);
  if (fixedModes > 0) log.info('data directory made private (directories 0700, files 0600)', { dataDir: config.dataDir, entriesFixed: fixedModes });
  const store = await openStore(storeLocation(config));
  const closers: Array<() => Promise<void>> = [() => store.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error) => log.error('close failed', { error: String(error) }));
  };
  try {
    // Tracing (off by default): closed after everything else, so the spans of the last passes are flushed.
    const tracing = startOtlpTracing(config.tracing);
    if (tracing) closers.push(() => tracing.close());
    const tracer = tracing?.tracer;
    const ctx: AppContext = appContext(store, { domain: config.domain, providers: servedProviders(config), webhookTargets: webhookTargetCheck(config.webhooks.allow) });
    const metrics = config.metrics.access === 'off' ? null : new PrivlinkMetrics();
    if (metrics) {
      const reads = new MetricsRepository(store.db);
      metrics.useSources({
        queue: () => reads.queue(),
        oldestDueSeconds: () => reads.oldestDueSeconds(),
        objects: () => reads.objects(),
        // The same report as `privlink admin capacity`, from the shared store: every replica shows the same figures.
        capacity: async () => (await capacityReport(ctx)).filter((line) => line.regionName !== '-').map(capacityFigures),
      });
    }
    const secret = await new SettingsRepository(store.db).getOrInit('digest.secret', randomBytes(32).toString('hex'));
    const consoleSessions = new ConsoleSessions(store);
    const authenticator = new Authenticator(
      credentialsLookup(store),
      new DigestAuthority(Buffer.from(secret, 'hex'), { nonceTtlMs: 300_000 }),
      1000,
      consoleSessions,
      store.writes.scope(CREDENTIAL_TABLES),
    );
    const bootstrap = await ensureBootstrap(ctx, config.bootstrapKey);

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
    // The local cloud's Azure Resource Manager (HTTPS; its certificate from the local CA in the data directory).
    let azureCloud: LocalCloudAzure | null = null;
    if (config.localCloud.enabled && config.azure.mode === 'local') {
      azureCloud = await createLocalCloudAzure({ store, delays: config.localCloud.delays, host: config.localCloud.host, port: config.localCloud.azurePort, caDir: config.dataDir });
      closers.push(() => azureCloud!.close());
    }
    // The local cloud's Compute Engine (HTTP). The customer's key file goes to the data directory (0600).
    let gcpCloud: LocalCloudGcp | null = null;
    let gcpKeyFiles: { customer: string; producer: string } | null = null;
    if (config.localCloud.enabled && config.gcp.mode === 'local') {
      gcpCloud = await createLocalCloudGcp({ store, delays: config.localCloud.delays, host: config.localCloud.host, port: config.localCloud.gcpPort });
      closers.push(() => gcpCloud!.close());
      gcpKeyFiles = {
        customer: writeGcpKey(config.dataDir, 'customer', gcpCloud.projects.consumer.serviceAccountKey),
        producer: writeGcpKey(config.dataDir, 'producer', gcpCloud.projects.producer.serviceAccountKey),
      };
    }
    // The local cloud announces every change to a customer endpoint (deleted on the cloud side, …):
    // the registrations it concerns are reconciled at once, not at the next resync.
    const endpointWatch = new CloudEndpointWatch(store, log.child({ component: 'cloud-endpoint-watch' }));
    closers.push(async () => endpointWatch.stop());
    let watched = Promise.resolve();
    let publishedNodes: PublishingRuntime | undefined;
    // The public gateway's routes, followed through the store's change log (not read whole on every write).
    const publicRouteBook = new PublicRouteBook(store, config.domain, config.localCloud.loopbackBase);
    // The data plane (private DNS, gateway, simulated nodes) runs in its own worker thread, with a share of the process's open files.
    const openFileLimit = processOpenFileLimit();
    const dataPlaneFiles = localCloud ? dataPlaneOpenFiles(config.localCloud.dataPlaneOpenFiles, openFileLimit, processOpenFiles()) : null;
    const dataPlane = await DataPlaneHost.start({
      dns: { address: DNS_HOST, port: config.dnsPort, ttl: DNS_TTL },
      // One source over every running emulator (their loopback ranges are disjoint, see common/loopback.ts).
      localCloud: localCloud
        ? {
            source: mergedSnapshotSource([
              localCloud,
              ...(azureCloud ? [azureSnapshotSource(azureCloud, store, config.localCloud.loopbackBase, { warn: (message) => log.warn(message) })] : []),
              ...(gcpCloud ? [gcpSnapshotSource(gcpCloud, store, config.localCloud.loopbackBase, { warn: (message) => log.warn(message) })] : []),
            ]),
            dataDir: config.dataDir,
            ...(config.localCloud.dataPlane === 'kernel' ? { kernel: { tag: instanceTag(config.dataDir) } } : {}),
            openFiles: dataPlaneFiles,
          }
        : null,
      lookups: {
        dnsRecords: (name, type, addresses) =>
          privateDnsAnswer(repositories(store.db), config.domain, DNS_TTL, addresses, name, type, {
            loopbackBase: config.localCloud.loopbackBase,
            addresses: () => publicRouteBook.addressesNow(),
          }),
        horizon: (clusterId, targetName, via) => nodeHorizon(repositories(store.db), config.domain, clusterId, targetName, via),
        databaseUser: (deploymentId, username) => nodeDatabaseUser(repositories(store.db), deploymentId, username, new Date()),
        appAccess: (clientAppId, via, channel) => appTrafficAccess(repositories(store.db), clientAppId, via, channel),
        publicRoutes: (since) => publicRouteBook.update(since),
        accessList: (projectId) => publicAccessList(repositories(store.db), projectId),
      },
      writes: store.writes,
      publicRouteWrites: store.writes.scope(PUBLIC_ROUTE_TABLES),
      onSnapshot: (snapshot) => {
        // Tests of the connection-notification path turn this off (config.testing).
        if (!config.testing.localCloudAnnouncements) return;
        // The picture's entities are never changed once made; a list noted as an edit of the one
        // before lets the watch compare what changed only (no walk over every endpoint).
        const endpoints = snapshot.endpoints;
        const edit = listEditOf(endpoints);
        const from = edit?.from.deref() as PictureList<SnapshotEndpoint> | undefined;
        const changed = edit && from ? { from, changed: [...edit.changed, ...edit.added] as SnapshotEndpoint[], removed: (edit.removed ?? []) as SnapshotEndpoint[] } : undefined;
        watched = watched.then(() => endpointWatch.observe(endpoints, changed));
      },
      log,
      logLevel: config.logLevel,
      onRestart: async () => {
        // The nodes come back on new ports: the old addresses are no longer where they listen.
        await publishedNodes?.clear();
        await resyncClusters(store);
        await store.notify(WORK_CHANNEL, '');
      },
      ...(metrics ? { onCounts: (counts) => metrics.dataPlane(counts), onHeap: (heap) => metrics.dataPlaneHeap(heap) } : {}),
    });
    closers.push(() => dataPlane.close());
    const runtime = localCloud ? dataPlane : null;
    // The process with the local cloud runs its simulated nodes and publishes where they listen,
    // for replicas without one (they ask for a cluster's nodes on NODES_CHANNEL).
    if (runtime) {
      publishedNodes = publishingRuntime(store, runtime);
      await publishedNodes.clear();
      closers.push(await serveNodeRequests(store, publishedNodes, log.child({ component: 'simulated-nodes' })));
    }
    const nodesElsewhere = !runtime && config.aws.mode === 'local';

    const crash = new CrashPoints(config.testing.crashAt, hooks.holdReconcileAt);
    let controller: Controller | undefined;
    if (config.reconciler.enabled) {
      const awsEndpoint = config.aws.mode === 'real' ? undefined : (config.aws.endpoint ?? localCloudUrl ?? undefined);
      if (config.aws.mode === 'local' && !awsEndpoint) throw new Error('The reconciler needs the local cloud (or PRIVLINK_AWS_ENDPOINT, or PRIVLINK_AWS=real).');
      const pool = new AwsClientPool({
        endpoint: awsEndpoint,
        credentials: config.aws.mode === 'local' && localCloud ? localCloud.accounts.provider : undefined,
        requestTimeoutMs: 10_000,
        ...(hooks.onProviderCall ? { onCall: (operation: string) => hooks.onProviderCall!('AWS', operation) } : {}),
      });
      closers.push(async () => pool.destroy());
      const listeners: ListenerDirectory = listenerDirectory(store, runtime ?? undefined, nodesElsewhere ? publishedAddresses(store) : undefined);
      const nodeRuntime = publishedNodes ?? (nodesElsewhere ? remoteRuntime(store) : undefined);
      const clusterRuntime: ClusterRuntime = nodeRuntime ?? { ensure: async () => false, remove: async () => undefined };
      const azureClients =
        config.azure.mode === 'real'
          ? new AzureClientPool({ subscriptionId: config.azure.subscriptionId!, endpoint: undefined, servicePrincipal: undefined, ca: undefined })
          : azureCloud
            ? new AzureClientPool({
                subscriptionId: azureCloud.accounts.provider.subscriptionId,
                endpoint: azureCloud.url,
                servicePrincipal: azureCloud.accounts.provider,
                ca: azureCloud.caCertPem,
                ...(hooks.onProviderCall ? { onCall: (operation: string) => hooks.onProviderCall!('AZURE', operation) } : {}),
              })
            : undefined;
      // Real GCP: Application Default Credentials. GcpClients has no per-call hook, so onProviderCall sees no GCP calls.
      const gcpClients =
        config.gcp.mode === 'real'
          ? new GcpClients({ projectId: config.gcp.projectId!, endpoint: undefined, serviceAccountKey: undefined })
          : gcpCloud
            ? new GcpClients({
                projectId: gcpCloud.projects.producer.projectId,
                endpoint: { host: gcpCloud.host, port: gcpCloud.port },
                serviceAccountKey: gcpCloud.projects.producer.serviceAccountKey,
              })
            : undefined;
      const gcpPool = gcpClients ? new GcpClientPool(gcpClients) : undefined;
      if (gcpPool) closers.push(() => gcpPool.close());
      // The provider account pool: local-cloud accounts are made by the local cloud on first use. A
      // replica without a local AWS cloud of its own that drives another replica's (PRIVLINK_AWS_ENDPOINT)
      // shares its store, and so its accounts: it finds or makes them there, as that replica would.
      const sharedLocalCloud = !localCloud && config.aws.mode === 'local' && config.aws.endpoint !== null;
      const poolAccounts = new ProviderAccountAccessor(store, {
        ...(localCloud
          ? { AWS: async (name: string) => localCloud!.createAccount(name) }
          : sharedLocalCloud
            ? { AWS: (name: string) => ensureSharedLocalCloudAccount(store, name) }
            : {}),
        ...(azureCloud ? { AZURE: async (name: string) => azureCloud!.createAccount(name) } : {}),
        ...(gcpCloud
          ? {
              GCP: async (name: string) => {
                const made = await gcpCloud!.createProject(name);
                return { projectId: made.projectId, serviceAccountKey: JSON.stringify(made.serviceAccountKey) };
              },
            }
          : {}),
      });
      const reconcileContext: ReconcileContext = {
        store,
        pool: { accounts: poolAccounts, placement: new ProviderPlacement(poolAccounts) },
        providers: providerRegistry(
          Object.fromEntries(
            Object.entries({
              AWS: new AwsProvider(pool, poolAccounts, {
                ...(config.aws.notifications ? { notificationTopicArn: config.aws.notifications.topicArn } : {}),
                onNotificationFailure: (serviceId, error) =>
                  log.warn('could not keep the connection notification of an endpoint service (the resync still notices changes)', {
                    serviceId,
                    code: error.code,
                    error: error.message,
                  }),
              }),
              ...(azureClients ? { AZURE: new AzureProvider(azureClients, poolAccounts) } : {}),
              ...(gcpPool ? { GCP: new GcpProvider(gcpPool, poolAccounts) } : {}),
            }).map(([name, adapter]) => [name, metrics || tracer ? instrumentedAdapter(name, adapter, metrics ? (...call) => metrics.providerCall(...call) : undefined) : adapter]),
          ),
        ),
        listeners,
        crash,
        log: contextualLogger(log.child({ component: 'reconciler' })),
        notFoundGraceMs: config.reconciler.notFoundGraceMs,
        domain: config.domain,
        now: () => new Date(),
      };
      const kinds = workKinds(reconcileContext, clusterRuntime, nodeRuntime);
      controller = new Controller(
        store,
        Object.fromEntries(kinds.map((k) => [k.kind, k.reconcile])),
        {
          workers: config.reconciler.workers,
          leaseMs: config.reconciler.leaseMs,
          resyncMs: config.reconciler.resyncMs,
          resync: (spreadMs) => resyncAll(store, kinds, spreadMs),
          ...(metrics ? { observer: metrics } : {}),
          ...(tracer ? { tracer } : {}),
        },
        log.child({ component: 'reconciler' }),
      );
      await controller.start();
      closers.push(() => controller!.stop());
      // Connection notifications from AWS (or the local cloud's SNS/SQS) wake the reconciler at once.
      const notifications = config.aws.notifications;
      if (notifications) {
        const queue = new AwsNotificationQueue({
          queueUrl: notifications.queueUrl,
          region: topicRegion(notifications.topicArn),
          endpoint: awsEndpoint,
          credentials: config.aws.mode === 'local' && localCloud ? localCloud.accounts.provider : undefined,
        });
        const stopPolling = startConnectionNotificationPoller(store, queue, log.child({ component: 'connection-notifications' }), { waitSeconds: 20, retryMs: 1000 });
        closers.push(async () => {
          await stopPolling();
          queue.close();
        });
      }
      closers.push(startAccessListExpiry(ctx, log.child({ component: 'access-list-expiry' })));
      closers.push(
        startWebhookDelivery(
          store,
          {
            workers: config.webhooks.workers,
            pollMs: config.webhooks.pollMs,
            timeoutMs: config.webhooks.timeoutMs,
            // A lease outlives several attempts, so a live worker's webhook is never taken over mid-attempt.
            leaseMs: Math.max(config.reconciler.leaseMs, config.webhooks.timeoutMs * 3),
            retry: { baseDelayMs: config.webhooks.retryBaseMs, maxDelayMs: config.webhooks.retryMaxMs, maxAttempts: config.webhooks.maxAttempts },
            allow: config.webhooks.allow,
            ...(metrics ? { observer: metrics } : {}),
          },
          log.child({ component: 'webhooks' }),
        ),
      );
    }

    const reconciler = controller;
    const readiness = storeReadiness({ store, ...(reconciler ? { reconcilerRunning: () => reconciler.running } : {}) });
    const api = await buildApiServer({
      // The node fault switch acts on the simulated nodes this process's data plane runs.
      ctx: runtime ? { ...ctx, nodeFaults: runtime } : ctx,
      authenticator,
      log: log.child({ component: 'api' }),
      publicUrl: config.publicUrl,
      readiness,
      consoleSessions,
      ...(metrics ? { metrics, metricsAccess: config.metrics.access } : {}),
      ...(tracer ? { tracer } : {}),
    });
    await api.listen({ host: config.host, port: config.port });
    closers.push(() => api.close());
    // The Admin API's connections are capped too: past the cap a new one is closed as soon as it is accepted.
    const openAfterStart = processOpenFiles();
    const maxConnections = apiConnections(config.apiMaxConnections, openFileLimit, openAfterStart, dataPlaneFiles ?? 0);
    if (maxConnections !== null) {
      api.server.maxConnections = maxConnections;
      const dropped = throttledWarning(log.child({ component: 'api' }), 'the Admin API holds all the connections it may; a new connection was closed', 10_000);
      api.server.on('drop', () => {
        metrics?.apiConnectionDropped();
        dropped({ limit: maxConnections, setting: 'PRIVLINK_API_MAX_CONNECTIONS' });
      });
    }
    // So are the local cloud's own APIs: a flood on them leaves the Admin API, the store and the reconciler their files.
    const cloudApis = [
      ...(localCloud ? [{ cloud: 'AWS' as const, api: localCloud }] : []),
      ...(azureCloud ? [{ cloud: 'Azure' as const, api: azureCloud }] : []),
      ...(gcpCloud ? [{ cloud: 'GCP' as const, api: gcpCloud }] : []),
    ];
    const cloudApiConnections = localCloudApiConnections(config.localCloud.apiMaxConnections, openFileLimit, openAfterStart, dataPlaneFiles ?? 0, cloudApis.length);
    if (cloudApiConnections !== null) {
      for (const { cloud, api: cloudApi } of cloudApis) {
        const dropped = throttledWarning(
          log.child({ component: 'localcloud' }),
          `the local cloud's ${cloud} API holds all the connections it may; a new connection was closed`,
          10_000,
        );
        cloudApi.capConnections(cloudApiConnections, () => {
          metrics?.localCloudApiConnectionDropped(cloud);
          dropped({ limit: cloudApiConnections, setting: 'PRIVLINK_LOCALCLOUD_API_MAX_CONNECTIONS' });
        });
      }
    }
    // An embedded store is held by this process alone: `privlink admin backup` asks it through the backup channel.
    if (store.dumpDataDir) {
      const backupLog = log.child({ component: 'backup' });
      closers.push(await openBackupChannel(config.dataDir, store.dumpDataDir, (bytes) => backupLog.info('backup taken', { bytes })));
    }
    const address = api.server.address() as AddressInfo;
    const apiUrl = config.publicUrl ?? `http://${config.host}:${address.port}`;

    const gcpFile = gcpCloud && gcpKeyFiles ? gcpBootstrapOf(gcpCloud, gcpKeyFiles) : null;
    const dns = { host: DNS_HOST, port: dataPlane.dnsPort };
    const appServicesPublic = localCloud ? (await dataPlane.ensureAppServicesFrontEnd()).public : null;
    const file = writeBootstrapFileFor(config.dataDir, bootstrap.key, apiUrl, dns, appServicesPublic, localCloud, localCloudUrl, azureCloud, gcpFile, dataPlane.caPath);
    if (bootstrap.key) await claimBootstrapKey(ctx, bootstrap.key);
    if (!file) {
      log.warn(
        `No ${bootstrapFilePath(config.dataDir)}: the bootstrap key was handed out by an earlier start. For a new private key run: ` +
          `${config.databaseUrl ? 'DATABASE_URL=… ' : ''}privlink admin reset-bootstrap-key --data-dir ${config.dataDir}`,
      );
    }
    log.info('privlink ready', { apiUrl, localCloudUrl, dnsPort: dataPlane.dnsPort, dataDir: config.dataDir, backend: store.backend });
    return {
      apiUrl,
      localCloudUrl,
      dnsPort: dataPlane.dnsPort,
      caPath: dataPlane.caPath,
      createdBootstrap: bootstrap.announce ? file : null,
      store,
      localCloud,
      azureCloud,
      gcpCloud,
      metrics,
      api,
      appServicesPublicAddress: async () => (localCloud ? (await dataPlane.ensureAppServicesFrontEnd()).public : null),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Writes `<data-dir>/bootstrap.json` (0600) with `key` when this start has one to hand out (new,
 * recovered or pinned); otherwise with the key already in the file and the current URLs.
 */
function writeBootstrapFileFor(
  dataDir: string,
  key: BootstrapKey | null,
  apiUrl: string,
  dns: { host: string; port: number },
  appServicesPublic: { host: string; port: number } | null,
  localCloud: LocalCloudAws | null,
  localCloudUrl: string | null,
  azureCloud: LocalCloudAzure | null,
  gcp: GcpBootstrap | null,
  caPath: string | null,
): BootstrapFile | null {
  const previous = readBootstrapFile(dataDir);
  const identity = key ?? previous;
  if (!identity) return null;
  const file: BootstrapFile = {
    orgId: identity.orgId,
    projectId: identity.projectId,
    ...(identity.apiKeyId ? { apiKeyId: identity.apiKeyId } : {}),
    publicKey: identity.publicKey,
    privateKey: identity.privateKey,
    baseUrl: apiUrl,
    dns,
    ...(appServicesPublic ? { appServices: { public: appServicesPublic } } : {}),
    ...(localCloud && localCloudUrl
      ? {
          localCloud: {
            endpoint: localCloudUrl,
            customer: credentialsOf(localCloud.accounts.customer),
            provider: credentialsOf(localCloud.accounts.provider),
            ...(azureCloud
              ? {
                  azure: {
                    endpoint: azureCloud.url,
                    ...(caPath ? { caPath } : {}),
                    customer: azureCredentialsOf(azureCloud.accounts.customer),
                    provider: azureCredentialsOf(azureCloud.accounts.provider),
                  },
                }
              : {}),
            ...(gcp ? { gcp } : {}),
          },
        }
      : previous?.localCloud
        ? { localCloud: previous.localCloud } // a replica without the local cloud keeps what the one with it wrote
        : {}),
  };
  writeBootstrapFile(dataDir, file);
  return file;
}

type GcpBootstrap = NonNullable<NonNullable<BootstrapFile['localCloud']>['gcp']>;

/** bootstrap.json's `localCloud.gcp`: where Compute Engine answers, the customer's project and key file, privlink's producer project and key file. */
function gcpBootstrapOf(gcpCloud: LocalCloudGcp, keyFiles: { customer: string; producer: string }): GcpBootstrap {
  return {
    endpoint: gcpCloud.url,
    projectId: gcpCloud.projects.consumer.projectId,
    keyFile: keyFiles.customer,
    producerProjectId: gcpCloud.projects.producer.projectId,
    producerKeyFile: keyFiles.producer,
  };
}

/** A capacity report line as the capacity gauges label it (an account that holds nothing anywhere has no series). */
function capacityFigures(line: CapacityLine): CapacityFigures {
  return {
    provider: line.account.provider,
    account: line.account.name,
    region: line.regionName,
    placements: line.placements,
    limits: line.limits.map((l) => ({ quotaCode: l.quotaCode, quotaName: l.quotaName, used: l.used, quota: l.value, left: l.left })),
  };
}

function azureCredentialsOf(account: { tenantId: string; subscriptionId: string; clientId: string; clientSecret: string }) {
  return { tenantId: account.tenantId, subscriptionId: account.subscriptionId, clientId: account.clientId, clientSecret: account.clientSecret };
}

function credentialsOf(account: { accountId: string; accessKeyId: string; secretAccessKey: string }) {
  return { accountId: account.accountId, accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
}
