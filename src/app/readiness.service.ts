import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import { MIGRATIONS } from '../store/migrations/index.js';

/** One readiness check: its name, whether it passed, and why not. */
export interface ReadinessCheck {
  readonly name: 'database' | 'migrations' | 'reconciler';
  readonly ok: boolean;
  readonly detail: string;
}

/** Runs the readiness checks; never throws. */
export type Readiness = () => Promise<readonly ReadinessCheck[]>;

/**
 * Readiness of a privlink process: the database answers `select 1` within `timeoutMs` (default
 * 1 s), every migration is applied, and — when `reconcilerRunning` is given (the reconciler is
 * enabled) — the reconciler is running.
 */
export function storeReadiness(options: { store: Store; timeoutMs?: number; reconcilerRunning?: () => boolean }): Readiness {
  const timeoutMs = options.timeoutMs ?? 1000;
  return async () => {
    const checks: ReadinessCheck[] = [];
    let applied: string[] | undefined;
    try {
      const rows = await withTimeout(sql<{ name: string }>`select name from kysely_migration`.execute(options.store.db), timeoutMs);
      applied = rows.rows.map((row) => row.name);
      checks.push({ name: 'database', ok: true, detail: 'reachable' });
    } catch (error) {
      checks.push({ name: 'database', ok: false, detail: error instanceof ReadinessTimeout ? error.message : 'unreachable' });
    }
    if (applied) {
      const missing = Object.keys(MIGRATIONS).filter((name) => !applied!.includes(name));
      checks.push({ name: 'migrations', ok: missing.length === 0, detail: missing.length === 0 ? 'applied' : `pending: ${missing.join(', ')}` });
    } else {
      checks.push({ name: 'migrations', ok: false, detail: 'unknown while the database is unreachable' });
    }
    if (options.reconcilerRunning) {
      const running = options.reconcilerRunning();
      checks.push({ name: 'reconciler', ok: running, detail: running ? 'running' : 'stopped' });
    }
    return checks;
  };
}

class ReadinessTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadinessTimeout(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
