import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../app/readiness.service.js';
import { ApiError } from '../domain/errors.js';

/**
 * Probes, without authentication. `GET /healthz` (liveness): the process answers; no I/O.
 * `GET /readyz` (readiness): 200 `{status: "ready", checks}` when every check passes, else 503
 * SERVICE_NOT_READY in the Atlas envelope naming the failing checks.
 */
export function healthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => {
    const checks = await readiness();
    const failing = checks.filter((check) => !check.ok);
    if (failing.length > 0) throw new ApiError('SERVICE_NOT_READY', [failing.map((check) => `${check.name} (${check.detail})`).join(', ')]);
    return { status: 'ready', checks: Object.fromEntries(checks.map((check) => [check.name, check.detail])) };
  });
}
