import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../../store/database.js';
import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { openChangeChannel } from '../common/change-channel.js';
import { applyDelays, parseDelays, type DelayPreset, type Delays } from './delays.js';
import { readSettings, SETTING } from './emulator-settings.js';
import { toStoredFault, type FaultSpec } from '../common/faults.js';
import { setZoneState, type ZoneState } from './zone-outages.js';
import { allRegions } from './geography.js';
import { accessKeyId, accountId, secretAccessKey } from './ids.js';
import { advanceDueRows, DueSteps } from './lazy-transitions.js';
import { loopbackRanges } from '../common/loopback.js';
import { answerQuery, type PipelineOptions } from './request-pipeline.js';
import { repositories } from './store/repositories.js';
import { migrateLocalCloud } from './store/migrations/index.js';
import { inLocalCloudTransaction, localCloudDb, readLocalCloud } from './store/schema.js';
import { FollowedPicture } from './followed-picture.js';
import { answerServiceQuotas, SERVICE_QUOTAS_TARGET } from './servicequotas/service-quotas.js';
import { capConnections, EmulatorHttp, keepClientsAlive } from '../common/emulator-http.js';
import { scopeService } from './auth.js';
import { answerSns } from './sns/sns.js';
import { answerSqs, SQS_TARGET } from './sqs/sqs.js';

export type { DataPlaneSnapshot } from '../common/data-plane-snapshot.js';
export type { Delays } from './delays.js';
export type { FaultSpec } from '../common/faults.js';

/** How to run the AWS emulation. */
export interface LocalCloudAwsOptions {
  /** privlink's store; the emulation keeps its state in the `lc_*` tables, made by its own migrations at start. */
  readonly store: Store;
  /**
   * Transition preset at start. When it differs from the preset of the previous start it
   * replaces the stored delays; otherwise delays changed at runtime (setDelays) are kept.
   */
  readonly delays: DelayPreset;
  /** VPC n's addresses map to `127.<loopbackBase + n>.x.y` (see common/loopback.ts: the AWS range). */
  readonly loopbackBase: number;
  /** The emulated clock (resource timestamps, transitions). Default: wall clock. SigV4 skew always uses the wall clock. */
  readonly now?: () => Date;
}

/** An account's id and SigV4 credentials (usable as AWS SDK credentials as is). */
export interface AccountCredentials {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly name: string;
}

/** A fault for one action: see setFault. */
export type Fault = FaultSpec;

export interface LocalCloudAws extends SnapshotSource {
  /** Node http handler for both EC2 (Version 2016-11-15) and ELBv2 (2015-12-01) Query requests on one endpoint. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Serves `handle` on host:port (port 0 = a free port); resolves to the bound port, URL and a close function. */
  listen(host: string, port: number): Promise<{ port: number; url: string; close(): Promise<void> }>;
  /**
   * Caps the connections each of its API servers holds at once, those listening now and later
   * (past `max` a new one is closed as soon as it is accepted; `onDrop` hears of each one).
   */
  capConnections(max: number, onDrop: () => void): void;
  /** The provider account (owns endpoint services and load balancers) and the default customer account. Stable across restarts. */
  readonly accounts: { readonly provider: AccountCredentials; readonly customer: AccountCredentials };
  /** Another customer account; idempotent by name (the same name returns the same account). */
  createAccount(name: string): Promise<AccountCredentials>;
  /** Sets all delays to a preset, or changes some of them. Persisted; applies to transitions scheduled from now on. */
  setDelays(preset: DelayPreset | Partial<Delays>): Promise<void>;
  /** The current delays. */
  delays(): Promise<Delays>;
  /**
   * Makes `action` (e.g. `CreateVpcEndpoint`) fail (error: that code/message/status; throttle:
   * EC2 503 RequestLimitExceeded, ELBv2 Throttling) or answer late (timeout: the action runs,
   * its answer is held `ms`, default 60 s), for the next `times` calls or until cleared with null.
   * Persisted and shared by every process on the store.
   */
  setFault(action: string, fault: Fault | null): Promise<void>;
  /** How long a Service Quotas increase request stays open before it is approved (ms; default 5 s). Persisted. */
  setQuotaApprovalDelay(ms: number): Promise<void>;
  /** Window after a service becomes Available in which CreateVpcEndpoint answers 503 Unavailable (0 = off, default). */
  setUnavailableWindow(ms: number): Promise<void>;
  /**
   * The availability-zone fault switch (zone-outages.ts): `impaired` takes the zone's data plane
   * down (its interfaces refuse connections, private DNS leaves their addresses out, its targets
   * get no traffic), `available` brings it back. Also the EC2 extension action
   * PrivlinkSetAvailabilityZoneState and `privlink localcloud aws set-availability-zone-state`.
   */
  setAvailabilityZoneState(zoneName: string, state: ZoneState): Promise<void>;
  /** The data-plane read model at this instant (lazy transitions advanced first). */
  snapshot(): Promise<DataPlaneSnapshot>;
  /**
   * Calls `listener` after any committed change that may affect the snapshot, in this process or
   * another one on the same PostgreSQL. Lazy transitions fire nothing by themselves: use
   * `snapshot().nextTransitionAt`. Returns an unsubscribe function.
   */
  onChange(listener: () => void): () => void;
  /** Stops the servers started by listen() and drops held responses. Does not close the store. */
  close(): Promise<void>;
}

/** Notification channel for data-plane changes. */
const CHANGE_CHANNEL = 'privlink_localcloud_aws';
const MAX_BODY_BYTES = 1024 * 1024;

async function ensureAccount(store: Store, name: string, settingKey?: string): Promise<AccountCredentials> {
  const control = repositories(localCloudDb(store)).control;
  const account =
    (await control.findAccountByName(name)) ??
    (await control.insertAccount({ accountId: await freeAccountId(store), name, accessKeyId: accessKeyId(), secretAccessKey: secretAccessKey() }));
  if (settingKey) await control.initSetting(settingKey, account.accountId);
  return { accountId: account.accountId, accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey, name: account.name };
}

/**
 * Makes (or finds, by name) an account of a local cloud that runs in another process on the same
 * store: a replica started with `--no-localcloud` drives the first replica's local cloud, whose
 * accounts live in the store both share. Idempotent; throws when the store holds no local cloud
 * (its tables are made by the process that runs it).
 */
export async function ensureSharedLocalCloudAccount(store: Store, name: string): Promise<AccountCredentials> {
  return ensureAccount(store, name);
}

async function freeAccountId(store: Store): Promise<string> {
  const control = repositories(localCloudDb(store)).control;
  for (;;) {
    const id = accountId();
    if (!(await control.accountExists(id))) return id;
  }
}

/**
 * Starts the emulation on `options.store`: makes the provider and customer accounts on first
 * start, applies the delay preset, subscribes to change notifications. Throws when stored VPC
 * slots do not fit `loopbackBase`.
 */
export async function createLocalCloudAws(options: LocalCloudAwsOptions): Promise<LocalCloudAws> {
  const { store, loopbackBase } = options;
  const loopback = loopbackRanges(loopbackBase).AWS;
  const now = options.now ?? (() => new Date());
  await migrateLocalCloud(store.db);
  const db = localCloudDb(store);
  const control = repositories(db).control;
  const provider = await ensureAccount(store, 'provider', SETTING.providerAccountId);
  const customer = await ensureAccount(store, 'customer', SETTING.customerAccountId);
  if ((await control.getSetting(SETTING.startPreset)) !== options.delays) {
    await control.setSetting(SETTING.delays, JSON.stringify(applyDelays(parseDelays(undefined), options.delays)));
    await control.setSetting(SETTING.startPreset, options.delays);
  }
  const usedSlots = Math.max(await repositories(db).network.maxVpcSlot(), await repositories(db).peering.maxOnPremisesSlot());
  if (usedSlots > loopback.maxSlot) {
    throw new RangeError(`The local cloud has ${usedSlots} VPC slots, more than loopback base ${loopbackBase} allows (${loopback.maxSlot})`);
  }

  const dueSteps = new DueSteps();
  const picture = new FollowedPicture();
  const changes = await openChangeChannel(store, CHANGE_CHANNEL, dueSteps);
  const changeNotice = changes.notice;
  const changed = () => changes.changed();
  const pipeline: PipelineOptions = { store, now, loopback, changed, changeNotice, dueSteps };
  const servers = new Set<Server>();
  let connectionCap: { max: number; onDrop: () => void } | null = null;
  /** Set by close(): held SQS long polls answer at once. */
  let stopped = false;
  const http = new EmulatorHttp('AWS', MAX_BODY_BYTES, async (request) => {
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith(SERVICE_QUOTAS_TARGET)) {
      const quotas = await answerServiceQuotas(store, now, { method: request.method, path: request.path, query: request.rawQuery, headers: request.headers, body: request.body });
      return {
        status: quotas.status,
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': quotas.requestId },
        body: quotas.body,
        holdMs: 0,
        ...(quotas.internalError ? { internalError: quotas.internalError } : {}),
      };
    }
    if (typeof target === 'string' && target.startsWith(SQS_TARGET)) {
      const sqs = await answerSqs(store, now, { method: request.method, path: request.path, query: request.rawQuery, headers: request.headers, body: request.body }, () => stopped);
      return { status: sqs.status, headers: sqs.headers, body: sqs.body, holdMs: 0, ...(sqs.internalError ? { internalError: sqs.internalError } : {}) };
    }
    const authorization = request.headers.authorization;
    if (scopeService(Array.isArray(authorization) ? authorization[0] : authorization) === 'sns') {
      const sns = await answerSns(store, now, { method: request.method, path: request.path, query: request.rawQuery, headers: request.headers, body: request.body });
      return {
        status: sns.status,
        headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': sns.requestId },
        body: sns.body,
        holdMs: 0,
        ...(sns.internalError ? { internalError: sns.internalError } : {}),
      };
    }
    const answer = await answerQuery(pipeline, { method: request.method, path: request.path, query: request.rawQuery, headers: request.headers, body: request.body });
    return {
      status: answer.status,
      headers: { 'Content-Type': answer.contentType, 'x-amzn-RequestId': answer.requestId },
      body: answer.body,
      holdMs: answer.holdMs,
      ...(answer.internalError ? { internalError: answer.internalError } : {}),
    };
  });
  const handle = http.handle;

  async function setting(key: string, value: string): Promise<void> {
    await control.setSetting(key, value);
  }

  return {
    handle,
    accounts: { provider, customer },
    async listen(host, port) {
      const server = createServer(handle);
      keepClientsAlive(server);
      if (connectionCap) capConnections(server, connectionCap.max, connectionCap.onDrop);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      servers.add(server);
      const bound = (server.address() as AddressInfo).port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return {
        port: bound,
        url: `http://${shownHost}:${bound}`,
        close: async () => {
          servers.delete(server);
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
    capConnections(max, onDrop) {
      connectionCap = { max, onDrop };
      for (const server of servers) capConnections(server, max, onDrop);
    },
    createAccount: (name) => ensureAccount(store, name),
    async setDelays(preset) {
      const current = (await readSettings(control)).delays;
      await setting(SETTING.delays, JSON.stringify(applyDelays(current, preset)));
    },
    async delays() {
      return (await readSettings(control)).delays;
    },
    async setFault(action, fault) {
      if (!action) throw new RangeError('setFault needs an action name');
      if (fault === null) return control.setFault(action, null, undefined);
      const stored = toStoredFault(fault);
      await control.setFault(action, stored.fault, stored.times);
    },
    async setAvailabilityZoneState(zoneName, state) {
      if (!allRegions().some((region) => region.zones.some((zone) => zone.zoneName === zoneName))) throw new RangeError(`No availability zone ${zoneName}`);
      await setZoneState(control, zoneName, state);
      await changed();
    },
    async setQuotaApprovalDelay(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The approval delay must be a non-negative number of ms');
      await setting(SETTING.quotaApprovalMs, String(ms));
    },
    async setUnavailableWindow(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The unavailable window must be a non-negative number of ms');
      await setting(SETTING.unavailableWindowMs, String(ms));
    },
    async snapshot() {
      // The picture is read without the lock (one consistent read-only transaction): it is taken
      // after every change, and holding the lock for it would stall every request while it reads.
      // After the first, a read takes only the rows changed since the last one (followed-picture.ts).
      // Its first query says whether a lazy transition has fallen due: then it stops there, the
      // steps are applied under the emulator lock (as a request applies them) and it reads again.
      const first = await picture.read((work) => readLocalCloud(store, work), now, loopback, true);
      if (first !== 'due') return first;
      const advanced = await inLocalCloudTransaction(store, async (trx) => {
        const repos = repositories(trx);
        dueSteps.forget();
        return advanceDueRows(repos, now(), (await readSettings(repos.control)).delays);
      });
      const snapshot = await picture.read((work) => readLocalCloud(store, work), now, loopback);
      if (advanced) await changed().catch(() => undefined);
      return snapshot;
    },
    onChange: (listener) => changes.onChange(listener),
    async close() {
      stopped = true;
      http.close();
      for (const server of [...servers]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      servers.clear();
      await changes.close();
    },
  };
}
