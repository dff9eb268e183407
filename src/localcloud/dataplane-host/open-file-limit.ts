// The process's open files shared out: the data plane's share (see dataplane/open-file-budget.ts)
// and how many connections the Admin API and the local cloud's own APIs may hold.
import { readdirSync, readFileSync } from 'node:fs';

/** Files kept for the rest of the process (Admin API, store, cloud calls) at the least. */
const KEPT_AT_LEAST = 256;

/**
 * The process's open-file limit as it is now (the soft limit, which Node raises to the hard one
 * at start), read from `/proc/self/limits`; undefined where there is no such file (not Linux) or
 * no limit.
 */
export function processOpenFileLimit(limitsFile = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  const n = Number(soft);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** How many files the process holds open now (`/proc/self/fd`); undefined where that cannot be read. */
export function processOpenFiles(fdDirectory = '/proc/self/fd'): number | undefined {
  try {
    return readdirSync(fdDirectory).length;
  } catch {
    return undefined;
  }
}

/**
 * How many files the data plane may hold: `configured` when set; else three quarters of what the
 * limit leaves free beside the files already open (the store's among them: the embedded store
 * keeps a file open per table and index it has touched), keeping at least 256 for the rest of the
 * process; null when the limit is not known (no budget).
 */
export function dataPlaneOpenFiles(configured: number | null, limit: number | undefined, inUse = 0): number | null {
  if (configured !== null) return configured;
  if (limit === undefined) return null;
  const free = Math.max(0, limit - inUse);
  return Math.max(0, free - Math.max(KEPT_AT_LEAST, Math.ceil(free / 4)));
}

/** The Admin API's connections at the least, whatever the limit leaves; and each local cloud API's. */
const API_CONNECTIONS_AT_LEAST = 64;

/**
 * How many connections the Admin API may hold at once: `configured` when set; else half of what the
 * limit leaves beside the files open now and the data plane's share (`dataPlane`; 0 when this
 * process runs none), at least 64; null when the limit is not known (no cap). Of the other half a
 * quarter of the whole goes to the local cloud's own APIs (see `localCloudApiConnections`) and a
 * quarter stays for the store and the cloud calls: a flood of connections to the Admin API cannot
 * take the files the reconciler needs.
 */
export function apiConnections(configured: number | null, limit: number | undefined, inUse = 0, dataPlane = 0): number | null {
  return connectionShare(configured, limit, inUse, dataPlane, 1 / 2);
}

/**
 * How many connections each of the `apis` cloud APIs the local cloud serves in this process (its
 * AWS, Azure and GCP emulators) may hold at once: `configured` when set; else a quarter of what the
 * limit leaves beside the files open now and the data plane's share, shared out among them, at
 * least 64 each; null when the limit is not known (no cap). A flood of connections to the local
 * cloud's APIs then leaves the Admin API, the store and the reconciler's own calls their files.
 */
export function localCloudApiConnections(configured: number | null, limit: number | undefined, inUse = 0, dataPlane = 0, apis = 1): number | null {
  return connectionShare(configured, limit, inUse, dataPlane, 1 / 4 / Math.max(1, apis));
}

/** `configured` when set; else `fraction` of what the limit leaves beside `inUse` and `dataPlane`, at least 64; null when the limit is not known. */
function connectionShare(configured: number | null, limit: number | undefined, inUse: number, dataPlane: number, fraction: number): number | null {
  if (configured !== null) return configured;
  if (limit === undefined) return null;
  return Math.max(API_CONNECTIONS_AT_LEAST, Math.floor((limit - inUse - dataPlane) * fraction));
}
