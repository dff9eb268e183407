// The embedded store's thread (pglite-thread.ts): runs PGlite on the data directory it is given and
// answers the main thread's requests one message each. PGlite executes every statement
// synchronously inside its WebAssembly instance; here that work stalls this thread, not the one
// answering the Admin API and running the reconciler.
import { PGlite } from '@electric-sql/pglite';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { FromStoreThread, StoreThreadConfig, ToStoreThread } from './pglite-thread-protocol.js';

if (!parentPort) throw new Error('pglite-thread.worker.js runs as a worker thread only');
const port: MessagePort = parentPort;
const { dataDir, startParams } = workerData as StoreThreadConfig;
const post = (message: FromStoreThread, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

/** A thrown value as plain data: the message and every own field PostgreSQL's errors carry (`code`, `detail`, …). */
function errorFields(error: unknown): Record<string, unknown> & { message: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue;
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message };
}

async function answer(pglite: PGlite, message: ToStoreThread): Promise<void> {
  const { id } = message;
  try {
    switch (message.op) {
      case 'query': {
        if (message.begin !== undefined) await pglite.exec(message.begin);
        const result = await pglite.query(message.sql, [...message.params]);
        post({ id, ok: true, rows: result.rows as Record<string, unknown>[], affectedRows: result.affectedRows });
        return;
      }
      case 'exec':
        await pglite.exec(message.sql);
        post({ id, ok: true, rows: [] });
        return;
      case 'dump': {
        const bytes = await (await pglite.dumpDataDir('gzip')).arrayBuffer();
        post({ id, ok: true, rows: [], archive: bytes }, [bytes]);
        return;
      }
      case 'close':
        await pglite.close();
        post({ id, ok: true, rows: [] });
        port.close();
        return;
    }
  } catch (error) {
    post({ id, ok: false, error: errorFields(error) });
  }
}

try {
  const pglite = await PGlite.create(dataDir, { startParams: [...startParams] });
  // PGlite runs one statement at a time and queues the rest itself, in arrival order.
  port.on('message', (message: ToStoreThread) => void answer(pglite, message));
  post({ id: 0, ok: true, rows: [] });
} catch (error) {
  post({ id: 0, ok: false, error: errorFields(error) });
}
