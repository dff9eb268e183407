import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.js';
import { LocalCertificateAuthority } from '../dataplane/certificates.js';
import { DueTransitions } from './advance.js';
import { VerifiedTokens } from '../common/verified-tokens.js';
import { openChangeChannel } from '../common/change-channel.js';
import { applyAzureDelays, parseAzureDelays, type AzureDelayPreset, type AzureDelays } from './delays.js';
import { answerAzure, DELAYS_SETTING, type AzurePipelineOptions } from './request-pipeline.js';
import type { AzureAccount, StoredAzureFault } from './store/control.repository.js';
import { migrateLocalCloudAzure } from './store/migrations/index.js';
import { azureRepositories, inAzureTransaction, type AzureRepositories } from './store/repositories.js';
import { azureDb, type AzureSchema } from './store/schema.js';
import { buildView } from './view.js';
import { parseUsageLimits, USAGE_LIMITS_SETTING, withUsageLimit } from './network-usages.js';
import type { AzureView } from './view-model.js';
import { capConnections, EmulatorHttp, keepClientsAlive } from '../common/emulator-http.js';
import { toStoredFault as toStoredCommonFault } from '../common/faults.js';

export type * from './view-model.js';
export type { AzureDelays, AzureDelayPreset } from './delays.js';

/** How to run the Azure Resource Manager emulation. */
export interface LocalCloudAzureOptions {
  /** privlink's store; the emulation keeps its state in the `lc_azure_*` tables, made by its own migrations at start. */
  readonly store: Store;
  /** Delay preset at start; applied when it differs from the previous start's (runtime changes otherwise survive). */
  readonly delays: AzureDelayPreset;
  /** Port to serve HTTPS on (0 = a free port). Default 4567. */
  readonly port?: number;
  /** Address to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** The CA that issues the server certificate (SAN IP:127.0.0.1, DNS:localhost); else `caDir` is loaded or created. */
  readonly certificates?: LocalCertificateAuthority;
  readonly caDir?: string;
  /** The emulated clock (provisioning, operations). Default: wall clock. Token expiry always uses the wall clock. */
  readonly now?: () => Date;
  /** Items per page of a listing (then `nextLink`). Default 100. */
  readonly pageSize?: number;
}

/** A service principal's credentials, as `ClientSecretCredential` and the ARM clients take them. */
export interface AzureCredentials {
  readonly name: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What `setFault` accepts for one ARM operation (e.g. `PrivateEndpoints_CreateOrUpdate`, or `*` for all). */
export type AzureFaultSpec =
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly status?: number; readonly times?: number }
  | { readonly kind: 'throttle'; readonly retryAfterSeconds?: number; readonly times?: number }
  | { readonly kind: 'timeout'; readonly ms?: number; readonly times?: number }
  | { readonly kind: 'failAsync'; readonly code: string; readonly message: string; readonly times?: number };

export interface LocalCloudAzure {
  /** `https://127.0.0.1:PORT`: the ARM endpoint and the authority host at once. */
  readonly url: string;
  /** The CA certificate the server certificate chains to (give it to clients as `tlsOptions.ca`). */
  readonly caCertPem: string;
  /**
   * Caps the connections its API server holds at once (past `max` a new one is closed as soon as
   * it is accepted; `onDrop` hears of each one).
   */
  capConnections(max: number, onDrop: () => void): void;
  /** privlink's own principal (private link services live in its subscription) and the default customer. Stable across restarts. */
  readonly accounts: { readonly provider: AzureCredentials; readonly customer: AzureCredentials };
  /** Another principal with its own tenant and subscription; idempotent by name. */
  createAccount(name: string): Promise<AzureCredentials>;
  /**
   * Sets the limit of a Microsoft.Network usage (`VirtualNetworks`, `LoadBalancers`,
   * `PrivateLinkServices`) of a subscription in a location, as an approved quota increase (or a
   * test's lower limit) would; null goes back to Azure's default. Persisted.
   */
  setUsageLimit(subscriptionId: string, location: string, usage: string, limit: number | null): Promise<void>;
  /** Sets all delays to a preset, or some of them. Persisted; applies to operations started from now on. */
  setDelays(change: AzureDelayPreset | Partial<AzureDelays>): Promise<void>;
  delays(): Promise<AzureDelays>;
  /**
   * Makes an ARM operation fail (error: that code, message, status — default 500), throttle (429
   * TooManyRequests with Retry-After), answer late (timeout: it runs and commits, its answer is
   * held `ms`, default 60 s) or fail asynchronously (failAsync: a PUT or DELETE is accepted, then
   * its long-running operation ends `Failed` with that error and the resource is left `Failed`),
   * for the next `times` calls or until cleared with null. Persisted and shared by every process
   * on the store.
   */
  setFault(operation: string, fault: AzureFaultSpec | null): Promise<void>;
  /** The emulator's read model for the data plane at this instant (due transitions advanced first). */
  view(): Promise<AzureView>;
  /** Calls `listener` after committed changes, in this process or another on the same PostgreSQL. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Stops serving and drops held responses. Does not close the store. */
  close(): Promise<void>;
}

const CHANGE_CHANNEL = 'privlink_localcloud_azure';
const MAX_BODY_BYTES = 1024 * 1024;
const START_PRESET_SETTING = 'delays_start_preset';

/** An Azure-style client secret: 40 characters with the `~` marker Entra ID secrets carry. */
function clientSecret(): string {
  const body = randomBytes(30).toString('base64url').replace(/[-_]/g, 'x');
  return `${body.slice(0, 3)}8Q~${body.slice(3, 37)}`;
}

async function ensureAccount(store: Store, name: string): Promise<AzureCredentials> {
  const control = azureRepositories(azureDb(store)).control;
  const account: AzureAccount =
    (await control.findAccountByName(name)) ??
    (await control.insertAccount({ name, tenantId: randomUUID(), subscriptionId: randomUUID(), clientId: randomUUID(), clientSecret: clientSecret() }));
  return { name: account.name, tenantId: account.tenantId, subscriptionId: account.subscriptionId, clientId: account.clientId, clientSecret: account.clientSecret };
}

/**
 * The stored form of an Azure fault: the shared checks (common/faults.ts) for `error` and
 * `timeout`; Azure's own `throttle` (with Retry-After) and `failAsync` here.
 */
function toStoredFault(spec: AzureFaultSpec): { fault: StoredAzureFault; times: number | undefined } {
  if (spec.kind === 'error' || spec.kind === 'timeout') return toStoredCommonFault(spec);
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) throw new RangeError('Fault times must be a positive integer');
  if (spec.kind === 'failAsync') {
    if (!spec.code) throw new RangeError('A failAsync fault needs a code');
    return { fault: { kind: 'failAsync', code: spec.code, message: spec.message }, times: spec.times };
  }
  if (spec.retryAfterSeconds !== undefined && (!Number.isInteger(spec.retryAfterSeconds) || spec.retryAfterSeconds < 0)) {
    throw new RangeError('retryAfterSeconds must be a non-negative integer');
  }
  return { fault: { kind: 'throttle', ...(spec.retryAfterSeconds !== undefined ? { retryAfterSeconds: spec.retryAfterSeconds } : {}) }, times: spec.times };
}

/**
 * Starts the Azure emulation on `options.store` and serves it over HTTPS: runs its migrations,
 * makes the provider and customer principals on first start, applies the delay preset, issues the
 * server certificate from the local CA and listens. Throws when the port is taken.
 */
export async function createLocalCloudAzure(options: LocalCloudAzureOptions): Promise<LocalCloudAzure> {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  await migrateLocalCloudAzure(store.db);
  const control = azureRepositories(azureDb(store)).control;
  const provider = await ensureAccount(store, 'provider');
  const customer = await ensureAccount(store, 'customer');
  if ((await control.getSetting(START_PRESET_SETTING)) !== options.delays) {
    await control.setSetting(DELAYS_SETTING, JSON.stringify(applyAzureDelays(parseAzureDelays(undefined), options.delays)));
    await control.setSetting(START_PRESET_SETTING, options.delays);
  }
  const ca = options.certificates ?? (options.caDir ? await LocalCertificateAuthority.loadOrCreate(options.caDir) : undefined);
  if (!ca) throw new RangeError('createLocalCloudAzure needs certificates (a LocalCertificateAuthority) or caDir');
  const issued = await ca.issueServerCertificate(['127.0.0.1', 'localhost']);

  const due = new DueTransitions();
  const changes = await openChangeChannel(store, CHANGE_CHANNEL, due);
  let url = '';
  const changeNotice = changes.notice;
  const changed = () => changes.changed();
  const pipeline: AzurePipelineOptions = {
    store,
    now,
    baseUrl: () => url,
    pageSize: options.pageSize ?? 100,
    changed,
    changeNotice,
    due,
    verified: new VerifiedTokens<AzureAccount>(),
  };
  const http = new EmulatorHttp('Azure', MAX_BODY_BYTES, async (request) => {
    const answer = await answerAzure(pipeline, {
      method: request.method,
      path: request.path,
      query: new URLSearchParams(request.rawQuery),
      headers: request.headers,
      body: request.body,
    });
    const requestId = randomUUID();
    const headers: Record<string, string> = { 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': requestId, 'Cache-Control': 'no-cache', ...answer.headers };
    if (answer.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
    return {
      status: answer.status,
      headers,
      body: answer.body === undefined ? undefined : JSON.stringify(answer.body),
      holdMs: answer.holdMs,
      ...(answer.internalError ? { internalError: answer.internalError } : {}),
    };
  });

  const server: Server = createServer({ cert: issued.certPem, key: issued.keyPem }, http.handle);
  keepClientsAlive(server);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4567, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    caCertPem: ca.caCertPem,
    accounts: { provider, customer },
    capConnections: (max, onDrop) => capConnections(server, max, onDrop),
    createAccount: (name) => ensureAccount(store, name),
    async setUsageLimit(subscriptionId, location, usage, limit) {
      const current = parseUsageLimits(await control.getSetting(USAGE_LIMITS_SETTING));
      await control.setSetting(USAGE_LIMITS_SETTING, JSON.stringify(withUsageLimit(current, subscriptionId, location, usage, limit)));
    },
    async setDelays(change) {
      const current = parseAzureDelays(await control.getSetting(DELAYS_SETTING));
      await control.setSetting(DELAYS_SETTING, JSON.stringify(applyAzureDelays(current, change)));
    },
    async delays() {
      return parseAzureDelays(await control.getSetting(DELAYS_SETTING));
    },
    async setFault(operation, fault) {
      if (!operation) throw new RangeError('setFault needs an operation name');
      if (fault === null) return control.setFault(operation, null, undefined);
      const stored = toStoredFault(fault);
      await control.setFault(operation, stored.fault, stored.times);
    },
    async view() {
      // The view is taken after every change: when nothing has fallen due it is read without the
      // lock (one consistent read-only transaction), so requests do not wait behind it.
      const quietAt = now();
      const quiet = await store.readConsistent(async (trx) => {
        const repos = azureRepositories(trx as unknown as Transaction<AzureSchema>);
        const { firstDueAt, nextStateAt } = await repos.resources.dueTimes();
        if (firstDueAt && firstDueAt.getTime() <= quietAt.getTime()) return undefined;
        return buildView(repos, await groupNames(repos), quietAt, nextStateAt);
      });
      if (quiet) return quiet;
      // Something fell due: advanced under the lock, as a request advances it, then read.
      let advanced = false;
      const result = await inAzureTransaction(store, async (trx) => {
        const repos = azureRepositories(trx);
        const at = now();
        const delays = parseAzureDelays(await repos.control.getSetting(DELAYS_SETTING));
        advanced = await due.advance({ repos, now: at, delays, principal: { ...provider } });
        return buildView(repos, await groupNames(repos), at, (await repos.resources.dueTimes()).nextStateAt);
      });
      if (advanced) await changed().catch(() => undefined);
      return result;
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

/** Resource group names by subscription and key, for the view's resources. */
async function groupNames(repos: AzureRepositories): Promise<Map<string, string>> {
  return new Map((await repos.groups.all()).map((g) => [`${g.subscriptionId}|${g.key}`, g.name]));
}
