import type { GcpDelays } from './delays.js';
import type { StoredProject } from './store/control.repository.js';
import type { GcpRepositories } from './store/repositories.js';
import type { JsonObject } from './store/schema.js';

/** What every Compute handler gets: one transaction's repositories, the instant, the caller. */
export interface ComputeContext {
  readonly repos: GcpRepositories;
  /** The emulated clock at the start of the request. */
  readonly now: Date;
  readonly delays: GcpDelays;
  /** The authenticated caller (already authorised for the project in the URL). */
  readonly principal: StoredProject;
  /** `http://host:port` of the emulator (for rendering links). */
  readonly baseUrl: string;
  /** The default and largest page of a listing (`maxResults`). */
  readonly pageSize: number;
  readonly query: URLSearchParams;
  readonly quotas: GcpQuotas;
}

/** Per-project limits the emulator enforces (403 quotaExceeded beyond them). */
export interface GcpQuotas {
  /** Reserved internal addresses per region (Compute's `INTERNAL_ADDRESSES`). */
  readonly internalAddresses: number;
}

/** An answer the pipeline serialises: status and JSON body. */
export interface ComputeAnswer {
  readonly status: number;
  readonly body: JsonObject;
  readonly headers?: Readonly<Record<string, string>>;
  /** Hold the answer this long (a timeout fault). */
  readonly holdMs?: number;
}
