import type { IncomingHttpHeaders } from 'node:http';
import type { AzureDelays } from './delays.js';
import type { ArmContext } from './kinds/kind.js';
import { isSeqPosition } from '../common/seq-position.js';

/** One request as the pipeline sees it. */
export interface ArmRequest {
  readonly method: string;
  /** The path without the query, percent-decoded per segment by the router. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A finished answer; `holdMs` > 0 when a timeout fault says to hold it back that long. */
export interface ArmAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON body (undefined: none). */
  readonly body?: unknown;
  readonly holdMs: number;
  /** For a 500: the unexpected error behind it (for the owner's log; never sent). */
  readonly internalError?: unknown;
}

/** What handlers get besides the kind context: where the emulator is served, the api-version asked for. */
export interface HandlerContext extends ArmContext {
  /** `https://127.0.0.1:PORT`, for operation URLs and nextLinks. */
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly pageSize: number;
  readonly delays: AzureDelays;
  /** The request path (for nextLinks). */
  readonly path: string;
  /** Where a listing's page starts: the position its `$skiptoken` names, 0 without one (or with one that names none: the listing starts over). */
  readonly pageAfter: number;
  /** Set by a `failAsync` fault: the write is accepted, then its long-running operation fails with this error. */
  readonly asyncFailure?: { readonly code: string; readonly message: string };
}

/** A JSON answer. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): ArmAnswer {
  return { status, headers, body, holdMs: 0 };
}

/** The position a `$skiptoken` names (the nextLinks privlink writes hold a row's `seq`), or 0. */
export function skipTokenPosition(skipToken: string | null): number {
  const after = Number(skipToken ?? '0');
  return isSeqPosition(after) ? after : 0;
}
