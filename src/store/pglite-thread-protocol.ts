/** Messages between the main thread and the embedded store's thread (pglite-thread.ts, pglite-thread.worker.ts). */

/** The thread's `workerData`: the data directory (already initialised) and PostgreSQL's start parameters. */
export interface StoreThreadConfig {
  readonly dataDir: string;
  readonly startParams: readonly string[];
}

/** A request, before it is numbered. */
export type StoreRequest =
  | {
      readonly op: 'query';
      readonly sql: string;
      readonly params: readonly unknown[];
      /** A transaction's BEGIN, run just before the statement in the same round trip (pglite-dialect.ts). */
      readonly begin?: string | undefined;
    }
  | { readonly op: 'exec'; readonly sql: string }
  | { readonly op: 'dump' }
  | { readonly op: 'close' };

/** A numbered request; `id` is echoed by its answer. The thread answers in the order it runs them. */
export type ToStoreThread = StoreRequest & { readonly id: number };

/**
 * An answer. Id 0 is the thread's start: ok once PGlite is open. A failed request carries the
 * error's message and its plain fields (PostgreSQL's `code`, `detail`, `constraint`, …).
 */
export type FromStoreThread =
  | {
      readonly id: number;
      readonly ok: true;
      readonly rows: Record<string, unknown>[];
      readonly affectedRows?: number | undefined;
      /** `dump` only: the gzip'd tar archive of the data directory. */
      readonly archive?: ArrayBuffer;
    }
  | { readonly id: number; readonly ok: false; readonly error: Record<string, unknown> & { readonly message: string } };
