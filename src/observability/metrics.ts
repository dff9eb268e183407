import { HttpRequestSeries } from './http-request-series.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the store reports at scrape time (read when `/metrics` is scraped, never on the hot path). */
export interface MetricsSources {
  /** Rows of the reconcile queue per work kind, and how many of them are due now. */
  queue(): Promise<ReadonlyArray<{ readonly kind: string; readonly depth: number; readonly due: number }>>;
  /** Seconds since the oldest due, unleased item became due (0 when nothing waits). */
  oldestDueSeconds(): Promise<number>;
  /** Stored objects per kind and status (endpoint services INITIATING, AVAILABLE, FAILED …). */
  objects(): Promise<ReadonlyArray<{ readonly kind: string; readonly status: string; readonly count: number }>>;
  /** The provider capacity report (`privlink admin capacity`): absent when this process has no pool to report. */
  capacity?(): Promise<readonly CapacityFigures[]>;
}

/** One account and region of the capacity report, as the capacity gauges show it. */
export interface CapacityFigures {
  readonly provider: string;
  readonly account: string;
  readonly region: string;
  readonly placements: number;
  /** Per quota: what privlink uses, the quota (null while never read) and what is left (null likewise). */
  readonly limits: ReadonlyArray<{ readonly quotaCode: string; readonly quotaName: string; readonly used: number; readonly quota: number | null; readonly left: number | null }>;
}

/** A capacity report younger than this is reused by the next scrape (several Prometheus servers, or a fast scrape interval). */
const CAPACITY_MAX_AGE_MS = 5_000;

/** Counters the data-plane worker ships to the main thread (deltas since its last message). */
export interface DataPlaneCounts {
  readonly gatewayConnections: number;
  readonly gatewayRefused: number;
  /** Connections reset and listeners not opened because the data plane's open-file budget was spent. */
  readonly dataPlaneShed: number;
  readonly gatewayBytesIn: number;
  readonly gatewayBytesOut: number;
  /** `type/rcode` → queries, e.g. `A/NOERROR`, `SRV/NXDOMAIN`. */
  readonly dnsQueries: Readonly<Record<string, number>>;
}

/** The data-plane worker thread's V8 heap (its own isolate), in bytes. */
export interface DataPlaneHeap {
  readonly usedBytes: number;
  readonly totalBytes: number;
}

/** Outcome label of a reconcile pass: `done`, `requeue`, `error` (retried with backoff) or `dropped` (no reconciler). */
export type PassOutcome = 'done' | 'requeue' | 'error' | 'dropped';

/** Outcome label of a provider call: `ok`, or the provider error's kind (`throttled`, `transient`, `conflict`, `forbidden`, `invalid`), or `error`. */
export type CallOutcome = 'ok' | 'throttled' | 'transient' | 'conflict' | 'forbidden' | 'invalid' | 'error';

/** Outcome label of a webhook delivery attempt. */
export type WebhookOutcome = 'success' | 'failure';

/** Label of a request that matched no route (kept as one value so labels stay bounded). */
export const UNMATCHED_ROUTE = 'unmatched';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The Prometheus metrics of one privlink process (`prom-client`), named as Prometheus wants
 * (`privlink_` prefix, `_total` counters, `_seconds` durations) with bounded labels only: route
 * *templates* (never raw paths), work kinds from the registry, adapter operation names, status
 * codes and enum statuses. Hot-path calls (`http`, `pass`, `providerCall`) only bump in-memory
 * counters; store-backed gauges are read from `sources` when scraped.
 *
 * @example
 *   const metrics = new PrivlinkMetrics();
 *   metrics.http('GET', '/api/atlas/v2/groups/:groupId', 200, 0.004);
 *   const text = await metrics.scrape(); // Prometheus text format 0.0.4
 */
export class PrivlinkMetrics {
  readonly registry = new Registry();
  private readonly httpRequests = new HttpRequestSeries(DURATION_BUCKETS);
  private readonly passes: Counter<'kind' | 'outcome'>;
  private readonly passDuration: Histogram<'kind'>;
  private readonly takeovers: Counter<'kind'>;
  private readonly providerCalls: Counter<'provider' | 'operation' | 'outcome'>;
  private readonly providerDuration: Histogram<'provider' | 'operation'>;
  private readonly throttles: Counter<'provider' | 'operation'>;
  private readonly gatewayConnections: Counter;
  private readonly gatewayRefused: Counter;
  private readonly dataPlaneShed: Counter;
  private readonly apiDropped: Counter;
  private readonly localCloudApiDropped: Counter<'cloud'>;
  private readonly gatewayBytes: Counter<'direction'>;
  private readonly dnsQueries: Counter<'type' | 'rcode'>;
  private readonly dataPlaneHeapTotal: Gauge;
  private readonly dataPlaneHeapUsed: Gauge;
  private readonly webhookAttempts: Counter<'outcome'>;
  private readonly webhookDuration: Histogram<'outcome'>;
  private readonly webhooksDisabled: Counter;
  private sources: MetricsSources | undefined;
  private capacityRead: { at: number; figures: Promise<readonly CapacityFigures[]> } | undefined;

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'privlink_' });
    this.httpRequests.register(
      this.registry,
      { name: 'privlink_http_requests_total', help: 'Admin API requests answered, by route template, method and status.' },
      { name: 'privlink_http_request_duration_seconds', help: 'Time to answer an Admin API request, by route template, method and status.' },
    );
    this.passes = new Counter({
      name: 'privlink_reconcile_passes_total',
      help: 'Reconcile passes, by work kind and outcome (done, requeue, error, dropped).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.passDuration = new Histogram({
      name: 'privlink_reconcile_pass_duration_seconds',
      help: 'Duration of a reconcile pass, by work kind.',
      labelNames: ['kind'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.takeovers = new Counter({
      name: 'privlink_reconcile_lease_takeovers_total',
      help: 'Work items claimed after another process lease on them lapsed, by work kind.',
      labelNames: ['kind'],
      registers,
    });
    this.providerCalls = new Counter({
      name: 'privlink_provider_calls_total',
      help: 'Cloud adapter calls, by provider, operation and outcome (ok or the provider error kind).',
      labelNames: ['provider', 'operation', 'outcome'],
      registers,
    });
    this.providerDuration = new Histogram({
      name: 'privlink_provider_call_duration_seconds',
      help: 'Duration of a cloud adapter call, by provider and operation.',
      labelNames: ['provider', 'operation'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.throttles = new Counter({
      name: 'privlink_provider_throttles_total',
      help: 'Cloud adapter calls the cloud throttled, by provider and operation.',
      labelNames: ['provider', 'operation'],
      registers,
    });
    this.gatewayConnections = new Counter({ name: 'privlink_gateway_connections_total', help: 'Connections the private-link gateway accepted.', registers });
    this.dataPlaneShed = new Counter({
      name: 'privlink_data_plane_open_files_refused_total',
      help: 'Connections the data plane reset and listeners it did not open because it held all the open files it may (PRIVLINK_DATA_PLANE_OPEN_FILES).',
      registers,
    });
    this.apiDropped = new Counter({
      name: 'privlink_api_connections_dropped_total',
      help: 'Connections the Admin API closed as soon as it accepted them because it held all it may (PRIVLINK_API_MAX_CONNECTIONS).',
      registers,
    });
    this.localCloudApiDropped = new Counter({
      name: 'privlink_localcloud_api_connections_dropped_total',
      help: "Connections a local cloud's API (cloud: AWS, Azure, GCP) closed as soon as it accepted them because it held all it may (PRIVLINK_LOCALCLOUD_API_MAX_CONNECTIONS).",
      labelNames: ['cloud'],
      registers,
    });
    this.gatewayRefused = new Counter({
      name: 'privlink_gateway_refused_total',
      help: 'Connections the gateways refused (private links: security group rules, no route; the public path: not on the IP access list).',
      registers,
    });
    this.gatewayBytes = new Counter({
      name: 'privlink_gateway_bytes_total',
      help: 'Bytes the private-link gateway forwarded, by direction (in: client to target).',
      labelNames: ['direction'],
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'privlink_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts, by outcome (success: the receiver answered 2xx).',
      labelNames: ['outcome'],
      registers,
    });
    this.webhookDuration = new Histogram({
      name: 'privlink_webhook_delivery_duration_seconds',
      help: 'Duration of webhook delivery attempts (connect, send, the receiver answer), by outcome.',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.webhooksDisabled = new Counter({
      name: 'privlink_webhooks_disabled_total',
      help: 'Webhooks disabled after repeated failed deliveries.',
      registers,
    });
    this.dataPlaneHeapTotal = new Gauge({
      name: 'privlink_dataplane_heap_size_total_bytes',
      help: "The data-plane worker thread's V8 heap size (its own isolate: not in privlink_nodejs_heap_size_total_bytes), reported every 5 s.",
      registers,
    });
    this.dataPlaneHeapUsed = new Gauge({
      name: 'privlink_dataplane_heap_size_used_bytes',
      help: "The data-plane worker thread's used V8 heap, reported every 5 s.",
      registers,
    });
    this.dnsQueries = new Counter({
      name: 'privlink_dns_queries_total',
      help: 'Private DNS queries answered, by query type and response code.',
      labelNames: ['type', 'rcode'],
      registers,
    });
    const sources = () => this.sources;
    new Gauge({
      name: 'privlink_reconcile_queue_depth',
      help: 'Items in the reconcile queue, by work kind and whether they are due now.',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await sources()?.queue()) ?? []) {
          this.set({ kind: row.kind, state: 'due' }, row.due);
          this.set({ kind: row.kind, state: 'waiting' }, row.depth - row.due);
        }
      },
    });
    new Gauge({
      name: 'privlink_reconcile_oldest_due_seconds',
      help: 'How long the oldest due, unclaimed reconcile item has been waiting.',
      registers,
      async collect() {
        this.set((await sources()?.oldestDueSeconds()) ?? 0);
      },
    });
    new Gauge({
      name: 'privlink_objects',
      help: 'Stored objects, by kind and status.',
      labelNames: ['kind', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await sources()?.objects()) ?? []) this.set({ kind: row.kind, status: row.status }, row.count);
      },
    });
    const capacity = () => this.capacity();
    new Gauge({
      name: 'privlink_provider_placements',
      help: 'Endpoint services placed in a provider pool account, by provider, account and region.',
      labelNames: ['provider', 'account', 'region'],
      registers,
      async collect() {
        this.reset();
        for (const line of await capacity()) this.set({ provider: line.provider, account: line.account, region: line.region }, line.placements);
      },
    });
    const limitGauge = (name: string, help: string, value: (limit: CapacityFigures['limits'][number]) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['provider', 'account', 'region', 'quota_code', 'quota_name'],
        registers,
        async collect() {
          this.reset();
          for (const line of await capacity()) {
            for (const limit of line.limits) {
              const v = value(limit);
              if (v !== null) this.set({ provider: line.provider, account: line.account, region: line.region, quota_code: limit.quotaCode, quota_name: limit.quotaName }, v);
            }
          }
        },
      });
    limitGauge('privlink_provider_quota_used', 'What privlink uses of a provider quota, by provider, account, region and quota.', (l) => l.used);
    limitGauge(
      'privlink_provider_quota_limit',
      'A provider quota as last read from the provider (absent while never read), by provider, account, region and quota.',
      (l) => l.quota,
    );
    limitGauge('privlink_provider_quota_left', 'What is left of a provider quota (limit minus used, never below 0), by provider, account, region and quota.', (l) => l.left);
  }

  /**
   * The capacity report, read from the store at most once per CAPACITY_MAX_AGE_MS however many
   * scrapes come, and shared by the four capacity gauges of one scrape.
   */
  private capacity(): Promise<readonly CapacityFigures[]> {
    const read = this.sources?.capacity;
    if (!read) return Promise.resolve([]);
    const now = performance.now();
    if (!this.capacityRead || now - this.capacityRead.at > CAPACITY_MAX_AGE_MS) {
      const figures = read.call(this.sources).catch(() => {
        this.capacityRead = undefined; // a failed read is not cached
        return [] as readonly CapacityFigures[];
      });
      this.capacityRead = { at: now, figures };
    }
    return this.capacityRead.figures;
  }

  /** Store-backed gauges read these when scraped (set once the store is open). */
  useSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** One answered request: `route` is the matched template, or UNMATCHED_ROUTE. */
  http(method: string, route: string, status: number, seconds: number): void {
    // Bounded: methods outside KNOWN_METHODS share one series, routes are templates, statuses few.
    this.httpRequests.observe(KNOWN_METHODS.has(method) ? method : 'OTHER', route, status, seconds);
  }

  /** One reconcile pass of a key of `kind`. */
  pass(kind: string, outcome: PassOutcome, seconds: number): void {
    this.passes.inc({ kind, outcome });
    this.passDuration.observe({ kind }, seconds);
  }

  /** A connection the Admin API closed at once: it held all the connections it may. */
  apiConnectionDropped(): void {
    this.apiDropped.inc();
  }

  /** A connection a local cloud's API closed at once: it held all the connections it may. */
  localCloudApiConnectionDropped(cloud: 'AWS' | 'Azure' | 'GCP'): void {
    this.localCloudApiDropped.inc({ cloud });
  }

  /** A claimed item whose previous lease (another process's) had lapsed. */
  leaseTakeover(kind: string): void {
    this.takeovers.inc({ kind });
  }

  /** One call of a cloud adapter's operation. */
  providerCall(provider: string, operation: string, outcome: CallOutcome, seconds: number): void {
    this.providerCalls.inc({ provider, operation, outcome });
    this.providerDuration.observe({ provider, operation }, seconds);
    if (outcome === 'throttled') this.throttles.inc({ provider, operation });
  }

  /** One webhook delivery attempt; `disabled` when it was the failure that disabled its webhook. */
  webhookAttempt(outcome: WebhookOutcome, seconds: number, disabled: boolean): void {
    this.webhookAttempts.inc({ outcome });
    this.webhookDuration.observe({ outcome }, seconds);
    if (disabled) this.webhooksDisabled.inc();
  }

  /** Adds the data-plane worker's counter deltas. */
  dataPlane(counts: DataPlaneCounts): void {
    if (counts.gatewayConnections) this.gatewayConnections.inc(counts.gatewayConnections);
    if (counts.gatewayRefused) this.gatewayRefused.inc(counts.gatewayRefused);
    if (counts.dataPlaneShed) this.dataPlaneShed.inc(counts.dataPlaneShed);
    if (counts.gatewayBytesIn) this.gatewayBytes.inc({ direction: 'in' }, counts.gatewayBytesIn);
    if (counts.gatewayBytesOut) this.gatewayBytes.inc({ direction: 'out' }, counts.gatewayBytesOut);
    for (const [key, n] of Object.entries(counts.dnsQueries)) {
      const [type, rcode] = key.split('/');
      if (n > 0) this.dnsQueries.inc({ type: type ?? 'OTHER', rcode: rcode ?? 'OTHER' }, n);
    }
  }

  /** The data-plane worker's latest heap report. */
  dataPlaneHeap(heap: DataPlaneHeap): void {
    this.dataPlaneHeapTotal.set(heap.totalBytes);
    this.dataPlaneHeapUsed.set(heap.usedBytes);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
