import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.js';
import { DueMemory } from '../common/due-memory.js';
import { openChangeChannel } from '../common/change-channel.js';
import { VerifiedTokens } from '../common/verified-tokens.js';
import { toStoredFault, type FaultSpec } from '../common/faults.js';
import type { GcpQuotas } from './compute-context.js';
import { applyGcpDelays, parseGcpDelays, type GcpDelayPreset, type GcpDelays } from './delays.js';
import { quotaSettingKey } from './compute-quotas.js';
import { answerCompute, DELAYS_SETTING, type GcpPipelineOptions } from './request-pipeline.js';
import { newProject, serviceAccountKey, type GcpProject } from './service-accounts.js';
import type { ProjectRole, StoredProject } from './store/control.repository.js';
import { migrateLocalCloudGcp } from './store/migrations/index.js';
import { gcpRepositories } from './store/repositories.js';
import { gcpDb, type GcpSchema } from './store/schema.js';
import { buildView } from './view.js';
import type { GcpView } from './view-model.js';
import { capConnections, EmulatorHttp, keepClientsAlive } from '../common/emulator-http.js';

export type * from './view-model.js';
export type { GcpDelays, GcpDelayPreset } from './delays.js';
export type { GcpQuotas } from './compute-context.js';
export type { GcpProject, ServiceAccountKey } from './service-accounts.js';

/** How to run the Compute Engine emulation. */
export interface LocalCloudGcpOptions {
  /** privlink's store; the emulation keeps its state in the `lc_gcp_*` tables, made by its own migrations at start. */
  readonly store: Store;
  /** Delay preset at start; applied when it differs from the previous start's (runtime changes otherwise survive). */
  readonly delays: GcpDelayPreset;
  /** Port to serve HTTP on (0 = a free port). Default 4568. */
  readonly port?: number;
  /** Address to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** The emulated clock (operations, visibility). Default: wall clock. Token lifetimes always use the wall clock. */
  readonly now?: () => Date;
  /** Default items per page of a listing (`maxResults` overrides, up to 500). Default 500. */
  readonly pageSize?: number;
  /** How long `…/operations/{op}/wait` waits for DONE before answering the running operation. Default 30 s (Compute waits up to 2 minutes). */
  readonly operationWaitMs?: number;
  /** Per-project limits; default: 200 reserved internal addresses per region. */
  readonly quotas?: Partial<GcpQuotas>;
}

/** What `setFault` accepts for one Compute method (e.g. `compute.forwardingRules.insert`, or `*` for all). */
export type GcpFaultSpec = FaultSpec;

export interface LocalCloudGcp {
  /** `http://127.0.0.1:PORT`: the Compute endpoint (`/compute/v1/…`) and the token endpoint (`/token`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /**
   * Caps the connections its API server holds at once (past `max` a new one is closed as soon as
   * it is accepted; `onDrop` hears of each one).
   */
  capConnections(max: number, onDrop: () => void): void;
  /** privlink's own project (service attachments live there) and the customer's. Stable across restarts. */
  readonly projects: { readonly producer: GcpProject; readonly consumer: GcpProject };
  /**
   * A project of the provider account pool with its own service account and key, made on first
   * use and found by `name` afterwards (idempotent; shared by every process on the store).
   */
  createProject(name: string): Promise<GcpProject>;
  /**
   * Sets the limit of a Compute quota metric of `project` in `region` (`global` for a project quota
   * such as NETWORKS): stands for an approved increase, or a lower limit in tests. Null restores the default.
   */
  setQuotaLimit(project: string, region: string, metric: string, limit: number | null): Promise<void>;
  /** Sets all delays to a preset, or some of them. Persisted; applies to operations started from now on. */
  setDelays(change: GcpDelayPreset | Partial<GcpDelays>): Promise<void>;
  delays(): Promise<GcpDelays>;
  /**
   * Makes a Compute method (its method id, `compute.serviceAttachments.patch`) fail with an error
   * (that reason, message and status, default 500), answer 429 `rateLimitExceeded`, or answer
   * late (timeout: it runs and commits, its answer is held `ms`, default 60 s), for the next
   * `times` calls or until cleared with null. Persisted and shared by every process on the store.
   */
  setFault(method: string, fault: GcpFaultSpec | null): Promise<void>;
  /** The emulator's read model for the data plane at this instant. */
  view(): Promise<GcpView>;
  /** Calls `listener` after committed changes, in this process or another on the same PostgreSQL. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Stops serving and drops held responses. Does not close the store. */
  close(): Promise<void>;
}

const CHANGE_CHANNEL = 'privlink_localcloud_gcp';
const MAX_BODY_BYTES = 1024 * 1024;
const START_PRESET_SETTING = 'delays_start_preset';

async function ensureProject(store: Store, role: ProjectRole) {
  const control = gcpRepositories(gcpDb(store)).control;
  return (await control.findProject(role)) ?? (await control.insertProject(await newProject(role)));
}

/**
 * Starts the Compute Engine emulation on `options.store` and serves it over plain HTTP: runs its
 * migrations, makes the producer and consumer projects with their service-account keys on first
 * start, applies the delay preset and listens. Throws when the port is taken.
 */
export async function createLocalCloudGcp(options: LocalCloudGcpOptions): Promise<LocalCloudGcp> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  await migrateLocalCloudGcp(store.db);
  const control = gcpRepositories(gcpDb(store)).control;
  // Both keys are made at once (on the thread pool) on a first start.
  const [producer, consumer] = await Promise.all([ensureProject(store, 'producer'), ensureProject(store, 'consumer')]);
  if ((await control.getSetting(START_PRESET_SETTING)) !== options.delays) {
    await control.setSetting(DELAYS_SETTING, JSON.stringify(applyGcpDelays(parseGcpDelays(undefined), options.delays)));
    await control.setSetting(START_PRESET_SETTING, options.delays);
  }

  const due = new DueMemory();
  const changes = await openChangeChannel(store, CHANGE_CHANNEL, due);
  const changed = () => changes.changed();
  let url = '';
  const pipeline: GcpPipelineOptions = {
    store,
    now,
    baseUrl: () => url,
    pageSize: options.pageSize ?? 500,
    operationWaitMs: options.operationWaitMs ?? 30_000,
    quotas: { internalAddresses: options.quotas?.internalAddresses ?? 200 },
    changed,
    due,
    verified: new VerifiedTokens<StoredProject>(),
  };
  const http = new EmulatorHttp('GCP', MAX_BODY_BYTES, async (request) => {
    const answer = await answerCompute(pipeline, {
      method: request.method,
      path: request.path,
      query: new URLSearchParams(request.rawQuery),
      headers: request.headers,
      body: request.body,
    });
    return {
      status: answer.status,
      headers: { ...answer.headers, 'Content-Type': 'application/json; charset=UTF-8' },
      body: JSON.stringify(answer.body),
      holdMs: answer.holdMs ?? 0,
      ...(answer.internalError ? { internalError: answer.internalError } : {}),
    };
  });

  const server: Server = createServer(http.handle);
  keepClientsAlive(server);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4568, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const expose = (p: typeof producer): GcpProject => ({
    projectId: p.projectId,
    projectNumber: p.projectNumber,
    serviceAccountKey: serviceAccountKey(p, url),
    refreshToken: p.refreshToken,
  });

  return {
    url,
    host,
    port,
    projects: { producer: expose(producer), consumer: expose(consumer) },
    capConnections: (max, onDrop) => capConnections(server, max, onDrop),
    async createProject(name) {
      if (!name) throw new RangeError('createProject needs a name');
      const made = await ensureProject(store, `pool:${name}`);
      await changed().catch(() => undefined);
      return expose(made);
    },
    async setQuotaLimit(project, region, metric, limit) {
      const key = quotaSettingKey(project, region === 'global' ? undefined : region, metric);
      if (limit === null) await control.setSetting(key, '');
      else await control.setSetting(key, String(limit));
    },
    async setDelays(change) {
      const current = parseGcpDelays(await control.getSetting(DELAYS_SETTING));
      await control.setSetting(DELAYS_SETTING, JSON.stringify(applyGcpDelays(current, change)));
    },
    async delays() {
      return parseGcpDelays(await control.getSetting(DELAYS_SETTING));
    },
    async setFault(method, fault) {
      if (!method) throw new RangeError('setFault needs a method id');
      if (fault === null) return control.setFault(method, null, undefined);
      const stored = toStoredFault(fault);
      await control.setFault(method, stored.fault, stored.times);
    },
    async view() {
      // Read without the lock (one consistent read-only transaction): what is visible follows from
      // the rows' times, so the view writes nothing, and requests need not wait behind it.
      const at = now();
      return store.readConsistent((trx) => buildView(gcpRepositories(trx as unknown as Transaction<GcpSchema>), at));
    },
    onChange: (listener) => changes.onChange(listener),
    async close() {
      http.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await changes.close();
    },
  };
}
