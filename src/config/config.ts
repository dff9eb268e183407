import { resolve } from 'node:path';
import { describeAllowList, parseWebhookAllowList, type WebhookAllowList } from '../domain/webhook-allow-list.js';

/**
 * The one typed configuration of a privlink process, built once at start from flags, then
 * environment, then defaults (flag > env > default), validated, and printed with secrets
 * masked. Nothing else in privlink reads `process.env`.
 */
export interface PrivlinkConfig {
  /** Address the Admin API listens on. */
  readonly host: string;
  /** Admin API port (0 = any free port). Flag `--port`, env `PRIVLINK_PORT`, default 8080. */
  readonly port: number;
  /**
   * How many connections the Admin API holds at once; past it a new connection is closed as soon as
   * it is accepted. Null (default): half of what the process's open-file limit leaves beside the
   * files open at start and the data plane's share, at least 64. Env `PRIVLINK_API_MAX_CONNECTIONS`.
   */
  readonly apiMaxConnections: number | null;
  /** Public base URL of the Admin API (links, bootstrap.json); derived from host/port unless set. */
  readonly publicUrl: string | null;
  /** Data directory (PGlite files, bootstrap.json, CA). Flag `--data-dir`, env `PRIVLINK_DATA_DIR`. */
  readonly dataDir: string;
  /** PostgreSQL URL; when set, state lives there instead of PGlite. Env `DATABASE_URL`. */
  readonly databaseUrl: string | null;
  /**
   * Whether PostgreSQL queries run as named (prepared) statements, each parsed and planned once per
   * connection (store/prepared-statements.ts). Env `PRIVLINK_DATABASE_PREPARED_STATEMENTS=on|off`,
   * default on; off behind a proxy that cannot keep a session's prepared statements.
   */
  readonly databasePreparedStatements: boolean;
  /**
   * Shared buffers of the embedded PGlite store (PostgreSQL's `shared_buffers`: its page cache,
   * held in the process's memory; pages beyond it come from the operating system's file cache).
   * Env `PRIVLINK_PGLITE_SHARED_BUFFERS`, default `16MB` (PostgreSQL's own default is 128MB).
   */
  readonly pgliteSharedBuffers: string;
  /** DNS domain of cluster hostnames. Flag `--domain`, env `PRIVLINK_DOMAIN`, default `privlink.test`. */
  readonly domain: string;
  /** Private DNS server port. Flag `--dns-port`, env `PRIVLINK_DNS_PORT`, default 5353. */
  readonly dnsPort: number;
  readonly localCloud: LocalCloudConfig;
  readonly aws: AwsConfig;
  readonly azure: AzureConfig;
  readonly gcp: GcpConfig;
  readonly reconciler: ReconcilerConfig;
  /** Pinned bootstrap API key (env `PRIVLINK_BOOTSTRAP_PUBLIC_KEY` / `PRIVLINK_BOOTSTRAP_PRIVATE_KEY`). */
  readonly bootstrapKey: { readonly publicKey: string; readonly privateKey: string } | null;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly metrics: MetricsConfig;
  readonly tracing: TracingConfig;
  readonly webhooks: WebhooksConfig;
  /** Test hooks; never set in production. */
  readonly testing: TestingConfig;
}

export interface LocalCloudConfig {
  /** Run the local cloud in this process. Flag `--no-localcloud`, env `PRIVLINK_LOCALCLOUD=on|off`; default on, off with `PRIVLINK_AWS=real`. */
  readonly enabled: boolean;
  readonly host: string;
  /** Local cloud AWS endpoint port. Flag `--localcloud-port`, env `PRIVLINK_LOCALCLOUD_PORT`, default 4566. */
  readonly port: number;
  /**
   * Local cloud Azure Resource Manager port (HTTPS). Env `PRIVLINK_LOCALCLOUD_AZURE_PORT`; default
   * the AWS port + 1 (4567), or any free port when the AWS port is 0.
   */
  readonly azurePort: number;
  /**
   * Local cloud Compute Engine port (HTTP). Env `PRIVLINK_LOCALCLOUD_GCP_PORT`; default the AWS
   * port + 2 (4568), or any free port when the AWS port is 0.
   */
  readonly gcpPort: number;
  /** Transition timing preset: `instant` (default) or `realistic` (AWS-like minutes). Env `PRIVLINK_LOCALCLOUD_DELAYS`. */
  readonly delays: 'instant' | 'realistic';
  /**
   * First octet-pair block of the loopback addresses the local cloud's data plane binds
   * (`127.<slot>.x.y`): VPC number n gets slot `loopbackBase + n`. Env `PRIVLINK_LOCALCLOUD_LOOPBACK_BASE`.
   */
  readonly loopbackBase: number;
  /**
   * `loopback` (default): customer networks live on loopback addresses, clients on the host.
   * `kernel`: besides, each customer network is a Linux network namespace where endpoint
   * interfaces answer at their real private addresses and the kernel carries the traffic
   * (`privlink localcloud exec`); needs Linux, root, `ip` and `nft`. Env `PRIVLINK_LOCALCLOUD_DATA_PLANE`.
   */
  readonly dataPlane: 'loopback' | 'kernel';
  /**
   * How many open files (listeners, connections) the data plane (gateways, simulated nodes) may
   * hold at once; what would go over is refused, so that the Admin API, the store and the cloud
   * calls keep files of their own. Null (default): three quarters of what the process's open-file
   * limit leaves free at start, keeping at least 256 for the rest. Env `PRIVLINK_DATA_PLANE_OPEN_FILES`.
   */
  readonly dataPlaneOpenFiles: number | null;
  /**
   * How many connections each of the local cloud's APIs (AWS, Azure, GCP) holds at once; past it a
   * new connection is closed as soon as it is accepted. Null (default): a quarter of what the
   * process's open-file limit leaves beside the files open at start and the data plane's share,
   * shared out among the APIs running, at least 64 each. Env `PRIVLINK_LOCALCLOUD_API_MAX_CONNECTIONS`.
   */
  readonly apiMaxConnections: number | null;
}

export interface AwsConfig {
  /**
   * `local`: the AWS adapter talks to the local cloud (default). `real`: to AWS itself, with
   * credentials and region from the standard AWS chain. Env `PRIVLINK_AWS`.
   */
  readonly mode: 'local' | 'real';
  /** Endpoint override for `local` mode when the local cloud runs elsewhere. Env `PRIVLINK_AWS_ENDPOINT`. */
  readonly endpoint: string | null;
  /**
   * VPC endpoint connection notifications (docs/aws.md): every endpoint service privlink makes
   * gets one notification to `topicArn`, and privlink long-polls `queueUrl` (subscribed to the
   * topic) so a customer's change to its endpoint is reconciled at once. Flags
   * `--aws-notification-topic` / `--aws-notification-queue`, env `PRIVLINK_AWS_NOTIFICATION_TOPIC`
   * / `PRIVLINK_AWS_NOTIFICATION_QUEUE`; both or neither. Null: off (the periodic resync notices).
   */
  readonly notifications: { readonly topicArn: string; readonly queueUrl: string } | null;
}

export interface AzureConfig {
  /**
   * `local`: the Azure adapter talks to the local cloud's Azure Resource Manager (default).
   * `real`: to Azure itself, with the Azure SDK's default credential chain (environment, managed
   * identity, Azure CLI) in subscription `subscriptionId`. `off`: Azure is not served (its
   * requests answer PROVIDER_UNSUPPORTED). Env `PRIVLINK_AZURE`.
   */
  readonly mode: 'local' | 'real' | 'off';
  /** The provider subscription for `real`. Env `PRIVLINK_AZURE_SUBSCRIPTION_ID` (or `AZURE_SUBSCRIPTION_ID`). */
  readonly subscriptionId: string | null;
}

export interface GcpConfig {
  /**
   * `local`: the GCP adapter talks to the local cloud's Compute Engine (default). `real`: to
   * Compute Engine itself, with Application Default Credentials, in producer project `projectId`.
   * `off`: GCP is not served (its requests answer PROVIDER_UNSUPPORTED). Env `PRIVLINK_GCP`.
   */
  readonly mode: 'local' | 'real' | 'off';
  /** The producer project for `real` (its networks, load balancers, service attachments). Env `PRIVLINK_GCP_PROJECT_ID`. */
  readonly projectId: string | null;
}

export interface ReconcilerConfig {
  /** Run reconciler workers in this process. Flag `--no-reconciler`, env `PRIVLINK_RECONCILER=off`. */
  readonly enabled: boolean;
  /** Concurrent reconcile passes per process. Env `PRIVLINK_RECONCILER_WORKERS`, default 4. */
  readonly workers: number;
  /** Lease on a claimed item; another replica takes it over after this. Env `PRIVLINK_RECONCILER_LEASE_MS`. */
  readonly leaseMs: number;
  /** Every resource is re-observed at least this often. Env `PRIVLINK_RECONCILER_RESYNC_MS`. */
  readonly resyncMs: number;
  /** An interface endpoint id AWS does not know is REJECTED after this. Env `PRIVLINK_ENDPOINT_NOT_FOUND_GRACE_MS`. */
  readonly notFoundGraceMs: number;
}

export interface MetricsConfig {
  /**
   * Who may scrape `GET /metrics` (Prometheus text format, no authentication): `loopback` (default:
   * callers on 127.0.0.0/8 or ::1), `any` address (put your own network controls in front), or
   * `off` (no metrics are kept at all). Env `PRIVLINK_METRICS`.
   */
  readonly access: 'loopback' | 'any' | 'off';
}

export interface TracingConfig {
  /**
   * `otlp`: spans go to an OpenTelemetry collector over OTLP/HTTP (JSON); `none` (default): no
   * spans are made at all. On when an endpoint is set (`PRIVLINK_OTLP_ENDPOINT`,
   * `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or `OTEL_TRACES_EXPORTER=otlp`;
   * off with `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true`.
   */
  readonly exporter: 'otlp' | 'none';
  /** The collector's traces URL (`<base>/v1/traces` for a base endpoint; the traces endpoint as given). */
  readonly endpoint: string | null;
  /** `service.name` of the spans. Env `OTEL_SERVICE_NAME`, default `privlink`. */
  readonly serviceName: string;
  /** Headers sent with every export (`OTEL_EXPORTER_OTLP_HEADERS` / `_TRACES_HEADERS`, `k=v,k2=v2`): secrets, masked when printed. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Which traces are kept, by OpenTelemetry's sampler names (`OTEL_TRACES_SAMPLER`, its ratio
   * `OTEL_TRACES_SAMPLER_ARG`). Unset: `parentbased_ratelimited`, privlink's default: a caller's
   * decision in its `traceparent`, and at most `tracesPerSecond` new traces a second.
   */
  readonly sampler: TraceSampler | 'parentbased_ratelimited';
  /** The share of new traces kept by a ratio sampler, 0..1 (`OTEL_TRACES_SAMPLER_ARG`; default 0.1). */
  readonly samplerRatio: number;
  /** New traces kept per second by the default sampler (`PRIVLINK_TRACES_PER_SECOND`, default 10). */
  readonly tracesPerSecond: number;
}

/** OpenTelemetry's sampler names privlink accepts in `OTEL_TRACES_SAMPLER`. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

export interface WebhooksConfig {
  /**
   * Where project webhooks may deliver: comma-separated CIDR blocks and host names (`*.example.com`
   * for every name under one). Default: nowhere (no webhook can be created). Checked when a webhook
   * is created and at every delivery, on the addresses the host resolves to. Env `PRIVLINK_WEBHOOK_ALLOW`.
   */
  readonly allow: WebhookAllowList;
  /** Webhooks delivered to at once per process. Env `PRIVLINK_WEBHOOK_WORKERS`, default 4. */
  readonly workers: number;
  /** One delivery attempt's limit. Env `PRIVLINK_WEBHOOK_TIMEOUT_MS`, default 10000. */
  readonly timeoutMs: number;
  /** Delay before the first retry (doubling after). Env `PRIVLINK_WEBHOOK_RETRY_BASE_MS`, default 1000. */
  readonly retryBaseMs: number;
  /** Longest delay between retries. Env `PRIVLINK_WEBHOOK_RETRY_MAX_MS`, default 600000. */
  readonly retryMaxMs: number;
  /** Attempts of one delivery before it is given up. Env `PRIVLINK_WEBHOOK_MAX_ATTEMPTS`, default 12. */
  readonly maxAttempts: number;
  /** How often idle delivery workers look for due deliveries (one look between them). Env `PRIVLINK_WEBHOOK_POLL_MS`, default 500. */
  readonly pollMs: number;
}

export interface TestingConfig {
  /** `name` or `name:n`: SIGKILL this process the n-th time crash point `name` is reached. Env `PRIVLINK_TEST_CRASH_AT`. */
  readonly crashAt: string | null;
  /**
   * Whether the in-process local cloud's announcements of customer endpoint changes reach the
   * reconciler (default on). Off (`PRIVLINK_TEST_LOCALCLOUD_ANNOUNCE=off`) for tests of the
   * connection-notification path, which must notice changes the way it does against AWS.
   */
  readonly localCloudAnnouncements: boolean;
}

/** Raised for a bad flag or environment value; the CLI prints it and exits 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Flags as parsed by the CLI (`privlink serve …`). */
export interface ServeFlags {
  host?: string;
  port?: string | number;
  publicUrl?: string;
  dataDir?: string;
  domain?: string;
  dnsPort?: string | number;
  localcloud?: boolean;
  localcloudPort?: string | number;
  reconciler?: boolean;
  awsNotificationTopic?: string;
  awsNotificationQueue?: string;
}

/** Builds and validates the configuration from flags and an environment (normally `process.env`). */
export function buildConfig(flags: ServeFlags, env: Readonly<Record<string, string | undefined>>): PrivlinkConfig {
  const pick = (flag: string | number | undefined, name: string): string | undefined =>
    flag !== undefined ? String(flag) : env[name] !== undefined && env[name] !== '' ? env[name] : undefined;
  const bootstrapPublic = env.PRIVLINK_BOOTSTRAP_PUBLIC_KEY;
  const bootstrapPrivate = env.PRIVLINK_BOOTSTRAP_PRIVATE_KEY;
  if (Boolean(bootstrapPublic) !== Boolean(bootstrapPrivate)) {
    throw new ConfigError('Set both PRIVLINK_BOOTSTRAP_PUBLIC_KEY and PRIVLINK_BOOTSTRAP_PRIVATE_KEY, or neither.');
  }
  if (bootstrapPublic && !/^[a-z]{8}$/.test(bootstrapPublic)) {
    throw new ConfigError('PRIVLINK_BOOTSTRAP_PUBLIC_KEY must be 8 lower-case letters (an Atlas public key).');
  }
  if (bootstrapPrivate && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(bootstrapPrivate)) {
    throw new ConfigError('PRIVLINK_BOOTSTRAP_PRIVATE_KEY must be a lower-case UUID (an Atlas private key).');
  }
  const awsMode = pick(undefined, 'PRIVLINK_AWS') ?? 'local';
  if (awsMode !== 'local' && awsMode !== 'real') throw new ConfigError(`PRIVLINK_AWS must be local or real, not ${awsMode}.`);
  const delays = pick(undefined, 'PRIVLINK_LOCALCLOUD_DELAYS') ?? 'instant';
  if (delays !== 'instant' && delays !== 'realistic') throw new ConfigError(`PRIVLINK_LOCALCLOUD_DELAYS must be instant or realistic, not ${delays}.`);
  const dataPlane = pick(undefined, 'PRIVLINK_LOCALCLOUD_DATA_PLANE') ?? 'loopback';
  if (dataPlane !== 'loopback' && dataPlane !== 'kernel') throw new ConfigError(`PRIVLINK_LOCALCLOUD_DATA_PLANE must be loopback or kernel, not ${dataPlane}.`);
  const logLevel = pick(undefined, 'PRIVLINK_LOG_LEVEL') ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) throw new ConfigError(`PRIVLINK_LOG_LEVEL ${logLevel} is not a level.`);
  const metricsAccess = pick(undefined, 'PRIVLINK_METRICS') ?? 'loopback';
  if (metricsAccess !== 'loopback' && metricsAccess !== 'any' && metricsAccess !== 'off')
    throw new ConfigError(`PRIVLINK_METRICS must be loopback, any or off, not ${metricsAccess}.`);
  const tracing = tracingConfig(pick);
  let webhookAllow: WebhookAllowList;
  try {
    webhookAllow = parseWebhookAllowList(pick(undefined, 'PRIVLINK_WEBHOOK_ALLOW'));
  } catch (error) {
    throw new ConfigError(`PRIVLINK_WEBHOOK_ALLOW: ${(error as Error).message}.`);
  }
  const publicUrl = pick(flags.publicUrl, 'PRIVLINK_PUBLIC_URL') ?? null;
  if (publicUrl !== null && !/^https?:\/\/[^/]+/.test(publicUrl)) throw new ConfigError(`--public-url ${publicUrl} is not an http(s) URL.`);
  const databaseUrl = pick(undefined, 'DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// URL.');
  const awsEndpoint = pick(undefined, 'PRIVLINK_AWS_ENDPOINT') ?? null;
  const azureMode = pick(undefined, 'PRIVLINK_AZURE') ?? (awsMode === 'real' ? 'off' : 'local');
  if (azureMode !== 'local' && azureMode !== 'real' && azureMode !== 'off') throw new ConfigError(`PRIVLINK_AZURE must be local, real or off, not ${azureMode}.`);
  const azureSubscription = pick(undefined, 'PRIVLINK_AZURE_SUBSCRIPTION_ID') ?? pick(undefined, 'AZURE_SUBSCRIPTION_ID') ?? null;
  if (azureMode === 'real' && !azureSubscription) throw new ConfigError('PRIVLINK_AZURE=real needs the provider subscription in PRIVLINK_AZURE_SUBSCRIPTION_ID.');
  const gcpMode = pick(undefined, 'PRIVLINK_GCP') ?? (awsMode === 'real' ? 'off' : 'local');
  if (gcpMode !== 'local' && gcpMode !== 'real' && gcpMode !== 'off') throw new ConfigError(`PRIVLINK_GCP must be local, real or off, not ${gcpMode}.`);
  const gcpProject = pick(undefined, 'PRIVLINK_GCP_PROJECT_ID') ?? null;
  if (gcpMode === 'real' && !gcpProject) throw new ConfigError('PRIVLINK_GCP=real needs the producer project in PRIVLINK_GCP_PROJECT_ID.');
  // Google's rule for project ids: 6 to 30 lower-case letters, digits or hyphens, starting with a letter.
  if (gcpProject !== null && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(gcpProject)) throw new ConfigError(`PRIVLINK_GCP_PROJECT_ID ${gcpProject} is not a GCP project id.`);
  const notifications = awsNotifications(pick(flags.awsNotificationTopic, 'PRIVLINK_AWS_NOTIFICATION_TOPIC'), pick(flags.awsNotificationQueue, 'PRIVLINK_AWS_NOTIFICATION_QUEUE'));
  const localCloudPort = port(pick(flags.localcloudPort, 'PRIVLINK_LOCALCLOUD_PORT') ?? '4566', '--localcloud-port / PRIVLINK_LOCALCLOUD_PORT');
  return {
    host: pick(flags.host, 'PRIVLINK_HOST') ?? '127.0.0.1',
    port: port(pick(flags.port, 'PRIVLINK_PORT') ?? '8080', '--port / PRIVLINK_PORT'),
    apiMaxConnections: env.PRIVLINK_API_MAX_CONNECTIONS ? integer(env.PRIVLINK_API_MAX_CONNECTIONS, 'PRIVLINK_API_MAX_CONNECTIONS', 16, 100_000_000) : null,
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    dataDir: resolve(pick(flags.dataDir, 'PRIVLINK_DATA_DIR') ?? '.privlink'),
    databaseUrl,
    databasePreparedStatements: onOff(env.PRIVLINK_DATABASE_PREPARED_STATEMENTS, true, 'PRIVLINK_DATABASE_PREPARED_STATEMENTS'),
    pgliteSharedBuffers: memorySize(pick(undefined, 'PRIVLINK_PGLITE_SHARED_BUFFERS') ?? '16MB', 'PRIVLINK_PGLITE_SHARED_BUFFERS', 1, 4096),
    domain: hostname(pick(flags.domain, 'PRIVLINK_DOMAIN') ?? 'privlink.test'),
    dnsPort: port(pick(flags.dnsPort, 'PRIVLINK_DNS_PORT') ?? '5353', '--dns-port / PRIVLINK_DNS_PORT'),
    localCloud: {
      // Against real AWS the local cloud is off unless asked for (then no `lc_*` table is made).
      enabled: flags.localcloud === false ? false : onOff(env.PRIVLINK_LOCALCLOUD, awsMode === 'local', 'PRIVLINK_LOCALCLOUD'),
      host: '127.0.0.1',
      port: localCloudPort,
      azurePort: port(pick(undefined, 'PRIVLINK_LOCALCLOUD_AZURE_PORT') ?? String(localCloudPort === 0 ? 0 : localCloudPort + 1), 'PRIVLINK_LOCALCLOUD_AZURE_PORT'),
      gcpPort: port(pick(undefined, 'PRIVLINK_LOCALCLOUD_GCP_PORT') ?? String(localCloudPort === 0 ? 0 : localCloudPort + 2), 'PRIVLINK_LOCALCLOUD_GCP_PORT'),
      delays,
      loopbackBase: integer(pick(undefined, 'PRIVLINK_LOCALCLOUD_LOOPBACK_BASE') ?? '100', 'PRIVLINK_LOCALCLOUD_LOOPBACK_BASE', 1, 250),
      dataPlane,
      dataPlaneOpenFiles: env.PRIVLINK_DATA_PLANE_OPEN_FILES ? integer(env.PRIVLINK_DATA_PLANE_OPEN_FILES, 'PRIVLINK_DATA_PLANE_OPEN_FILES', 16, 100_000_000) : null,
      apiMaxConnections: env.PRIVLINK_LOCALCLOUD_API_MAX_CONNECTIONS
        ? integer(env.PRIVLINK_LOCALCLOUD_API_MAX_CONNECTIONS, 'PRIVLINK_LOCALCLOUD_API_MAX_CONNECTIONS', 16, 100_000_000)
        : null,
    },
    aws: { mode: awsMode, endpoint: awsEndpoint, notifications },
    azure: { mode: azureMode, subscriptionId: azureSubscription },
    gcp: { mode: gcpMode, projectId: gcpProject },
    reconciler: {
      enabled: flags.reconciler === false ? false : onOff(env.PRIVLINK_RECONCILER, true, 'PRIVLINK_RECONCILER'),
      workers: integer(pick(undefined, 'PRIVLINK_RECONCILER_WORKERS') ?? '4', 'PRIVLINK_RECONCILER_WORKERS', 1, 64),
      leaseMs: integer(pick(undefined, 'PRIVLINK_RECONCILER_LEASE_MS') ?? '30000', 'PRIVLINK_RECONCILER_LEASE_MS', 100, 3_600_000),
      resyncMs: integer(pick(undefined, 'PRIVLINK_RECONCILER_RESYNC_MS') ?? '60000', 'PRIVLINK_RECONCILER_RESYNC_MS', 100, 86_400_000),
      notFoundGraceMs: integer(pick(undefined, 'PRIVLINK_ENDPOINT_NOT_FOUND_GRACE_MS') ?? '5000', 'PRIVLINK_ENDPOINT_NOT_FOUND_GRACE_MS', 0, 3_600_000),
    },
    bootstrapKey: bootstrapPublic && bootstrapPrivate ? { publicKey: bootstrapPublic, privateKey: bootstrapPrivate } : null,
    logLevel: logLevel as PrivlinkConfig['logLevel'],
    metrics: { access: metricsAccess },
    tracing,
    webhooks: {
      allow: webhookAllow,
      workers: integer(pick(undefined, 'PRIVLINK_WEBHOOK_WORKERS') ?? '4', 'PRIVLINK_WEBHOOK_WORKERS', 1, 64),
      timeoutMs: integer(pick(undefined, 'PRIVLINK_WEBHOOK_TIMEOUT_MS') ?? '10000', 'PRIVLINK_WEBHOOK_TIMEOUT_MS', 10, 120_000),
      retryBaseMs: integer(pick(undefined, 'PRIVLINK_WEBHOOK_RETRY_BASE_MS') ?? '1000', 'PRIVLINK_WEBHOOK_RETRY_BASE_MS', 1, 3_600_000),
      retryMaxMs: integer(pick(undefined, 'PRIVLINK_WEBHOOK_RETRY_MAX_MS') ?? '600000', 'PRIVLINK_WEBHOOK_RETRY_MAX_MS', 1, 86_400_000),
      maxAttempts: integer(pick(undefined, 'PRIVLINK_WEBHOOK_MAX_ATTEMPTS') ?? '12', 'PRIVLINK_WEBHOOK_MAX_ATTEMPTS', 1, 100),
      pollMs: integer(pick(undefined, 'PRIVLINK_WEBHOOK_POLL_MS') ?? '500', 'PRIVLINK_WEBHOOK_POLL_MS', 10, 60_000),
    },
    testing: {
      crashAt: pick(undefined, 'PRIVLINK_TEST_CRASH_AT') ?? null,
      localCloudAnnouncements: onOff(env.PRIVLINK_TEST_LOCALCLOUD_ANNOUNCE, true, 'PRIVLINK_TEST_LOCALCLOUD_ANNOUNCE'),
    },
  };
}

/** The configuration as printed at start: secrets masked. */
export function describeConfig(config: PrivlinkConfig): Record<string, unknown> {
  return {
    ...config,
    databaseUrl: config.databaseUrl ? config.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : null,
    bootstrapKey: config.bootstrapKey ? { publicKey: config.bootstrapKey.publicKey, privateKey: '***' } : null,
    tracing: { ...config.tracing, headers: Object.fromEntries(Object.keys(config.tracing.headers).map((k) => [k, '***'])) },
    webhooks: { ...config.webhooks, allow: describeAllowList(config.webhooks.allow) },
  };
}

/** OpenTelemetry's default OTLP/HTTP endpoint (a collector on this host). */
const OTLP_DEFAULT_BASE = 'http://localhost:4318';

/**
 * Tracing from the OpenTelemetry SDK's standard variables (the spec's names and precedence: the
 * traces endpoint as given, a base endpoint + `/v1/traces`) plus `PRIVLINK_OTLP_ENDPOINT`, a base
 * endpoint that also turns tracing on. Off unless asked for, unlike the SDK's own default.
 */
function tracingConfig(pick: (flag: undefined, name: string) => string | undefined): TracingConfig {
  const url = (value: string, name: string) => {
    if (!/^https?:\/\/[^/]+/.test(value)) throw new ConfigError(`${name} ${value} is not an http(s) URL.`);
    return value;
  };
  const base = (value: string) => `${value.replace(/\/+$/, '')}/v1/traces`;
  const tracesEndpoint = pick(undefined, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = pick(undefined, 'PRIVLINK_OTLP_ENDPOINT') ?? pick(undefined, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const baseName = pick(undefined, 'PRIVLINK_OTLP_ENDPOINT') ? 'PRIVLINK_OTLP_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const endpoint = tracesEndpoint ? url(tracesEndpoint, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') : baseEndpoint ? base(url(baseEndpoint, baseName)) : null;
  const exporter = pick(undefined, 'OTEL_TRACES_EXPORTER') ?? (endpoint ? 'otlp' : 'none');
  if (exporter !== 'otlp' && exporter !== 'none') throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp or none, not ${exporter}.`);
  const protocol = pick(undefined, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? pick(undefined, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol === 'grpc') throw new ConfigError("privlink exports traces over OTLP/HTTP (JSON), not gRPC: point it at the collector's HTTP port (4318).");
  const disabled = (pick(undefined, 'OTEL_SDK_DISABLED') ?? '').toLowerCase() === 'true';
  const on = exporter === 'otlp' && !disabled;
  const headers: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    for (const pair of (pick(undefined, name) ?? '').split(',')) {
      const at = pair.indexOf('=');
      if (at > 0) headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    }
  }
  const sampler = pick(undefined, 'OTEL_TRACES_SAMPLER') ?? 'parentbased_ratelimited';
  if (sampler !== 'parentbased_ratelimited' && !(TRACE_SAMPLERS as readonly string[]).includes(sampler))
    throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${TRACE_SAMPLERS.join(', ')} (or unset: parentbased_ratelimited), not ${sampler}.`);
  const rateText = pick(undefined, 'PRIVLINK_TRACES_PER_SECOND');
  const tracesPerSecond = rateText === undefined || rateText.trim() === '' ? 10 : Number(rateText);
  if (!Number.isFinite(tracesPerSecond) || tracesPerSecond < 0 || tracesPerSecond > 1_000_000)
    throw new ConfigError(`PRIVLINK_TRACES_PER_SECOND must be a number from 0 to 1000000, not ${rateText}.`);
  const ratioText = pick(undefined, 'OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = ratioText === undefined || ratioText.trim() === '' ? 0.1 : Number(ratioText);
  if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, not ${ratioText}.`);
  return {
    exporter: on ? 'otlp' : 'none',
    endpoint: on ? (endpoint ?? base(OTLP_DEFAULT_BASE)) : null,
    serviceName: pick(undefined, 'OTEL_SERVICE_NAME') ?? 'privlink',
    headers: on ? headers : {},
    sampler: sampler as TracingConfig['sampler'],
    samplerRatio,
    tracesPerSecond,
  };
}

/** The connection-notification topic and queue: both or neither, each in AWS's shape. */
function awsNotifications(topicArn: string | undefined, queueUrl: string | undefined): AwsConfig['notifications'] {
  if (!topicArn && !queueUrl) return null;
  if (!topicArn || !queueUrl) {
    throw new ConfigError(
      'Set both --aws-notification-topic (PRIVLINK_AWS_NOTIFICATION_TOPIC) and --aws-notification-queue (PRIVLINK_AWS_NOTIFICATION_QUEUE), or neither: the topic receives the connection notifications, privlink reads them from the queue subscribed to it.',
    );
  }
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topicArn)) {
    throw new ConfigError(`--aws-notification-topic ${topicArn} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>).`);
  }
  if (!/^https?:\/\/[^/]+\/\d{12}\/[A-Za-z0-9_-]{1,80}$/.test(queueUrl)) {
    throw new ConfigError(`--aws-notification-queue ${queueUrl} is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>).`);
  }
  return { topicArn, queueUrl };
}

function port(value: string, name: string): number {
  return integer(value, name, 0, 65535);
}

function integer(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not ${value}.`);
  return n;
}

/** A size in whole megabytes, written `<n>MB` (as PostgreSQL writes it); returned in that form. */
function memorySize(value: string, name: string, minMb: number, maxMb: number): string {
  const match = /^(\d+)MB$/.exec(value);
  const n = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(n) || n < minMb || n > maxMb) throw new ConfigError(`${name} must be a size from ${minMb}MB to ${maxMb}MB (e.g. 16MB), not ${value}.`);
  return `${n}MB`;
}

function onOff(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(`${name} must be on or off, not ${value}.`);
}

function hostname(value: string): string {
  const lower = value.toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(lower)) throw new ConfigError(`--domain ${value} is not a DNS name.`);
  return lower;
}
