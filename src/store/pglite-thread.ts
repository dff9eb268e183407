import { Worker } from 'node:worker_threads';
import type { FromStoreThread, StoreRequest, StoreThreadConfig, ToStoreThread } from './pglite-thread-protocol.js';

const WORKER_URL = new URL('./pglite-thread.worker.js', import.meta.url);

/** What the store needs of PGlite: statements, a script, the data directory's archive, closing. */
export interface PGliteSession {
  /** One statement; with `begin`, that transaction-opening statement runs first, in the same round trip. */
  query(sql: string, params: readonly unknown[], begin?: string): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number | undefined }>;
  exec(sql: string): Promise<void>;
  /** The data directory as a gzip'd tar archive (PGlite's `dumpDataDir('gzip')`). */
  dumpDataDir(): Promise<Blob>;
  close(): Promise<void>;
}

type Answer = Extract<FromStoreThread, { ok: true }>;

/**
 * Opens PGlite on an initialised `dataDir` in a worker thread of its own and returns the session
 * to it. PGlite runs each statement synchronously in its WebAssembly instance: on the main thread
 * every statement stalled the Admin API, the reconciler and the local cloud for its whole run
 * (about half of that thread's time under load); in a thread of its own it runs beside them, on
 * another core where the machine has one. Values cross by structured clone (dates, byte arrays,
 * big integers and JSON values keep their types); an error keeps its message and PostgreSQL's
 * fields. If the thread dies, every open and later request fails: the store is unusable, as an
 * in-process PGlite would be after a WebAssembly trap. The thread keeps the process alive only
 * while a request is open: a process that ends without closing its store still ends.
 */
export function openPGliteThread(config: StoreThreadConfig): Promise<PGliteSession> {
  const worker = new Worker(WORKER_URL, { workerData: config, name: 'privlink-store' });
  const open = new Map<number, { resolve(answer: Answer): void; reject(error: Error): void }>();
  let nextId = 1;
  let gone: Error | undefined;
  // Id 0 is the thread's start.
  const started = new Promise<Answer>((resolve, reject) => open.set(0, { resolve, reject }));
  const failAll = (error: Error) => {
    gone ??= error;
    const entries = [...open.values()];
    open.clear();
    for (const entry of entries) entry.reject(error);
  };
  worker.on('message', (message: FromStoreThread) => {
    const entry = open.get(message.id);
    if (!entry) return;
    open.delete(message.id);
    if (open.size === 0) worker.unref();
    if (message.ok) entry.resolve(message);
    else entry.reject(Object.assign(new Error(message.error.message), message.error));
  });
  worker.on('error', (error) => failAll(new Error(`the embedded store's thread failed: ${error.message}`)));
  worker.on('exit', (code) => failAll(new Error(`the embedded store's thread exited (code ${code})`)));

  const request = (message: StoreRequest): Promise<Answer> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    return new Promise<Answer>((resolve, reject) => {
      if (open.size === 0) worker.ref();
      open.set(id, { resolve, reject });
      worker.postMessage({ ...message, id } satisfies ToStoreThread);
    });
  };

  const session: PGliteSession = {
    query: (sql, params, begin) => request({ op: 'query', sql, params, begin }),
    exec: async (sql) => void (await request({ op: 'exec', sql })),
    dumpDataDir: async () => new Blob([(await request({ op: 'dump' })).archive!]),
    async close() {
      if (gone) return;
      await request({ op: 'close' });
      await worker.terminate();
    },
  };
  return started.then(
    () => session,
    (error: Error) => {
      void worker.terminate();
      throw error;
    },
  );
}
