import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { connectionStringsOf } from '../app/connection-strings.js';
import { ApiError } from '../domain/errors.js';
import type { Logger } from '../logging/logger.js';
import type { Authenticator } from './authenticate.js';
import { errorHandler, sendApiError } from './error-handler.js';
import { routeRegistrar } from './route-registrar.js';
import { clustersRoutes, type ConnectionStringsOf } from './routes/clusters.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { identityRoutes } from './routes/identity.routes.js';
import { privateEndpointsRoutes } from './routes/private-endpoints.routes.js';

export interface ApiServerOptions {
  readonly ctx: AppContext;
  readonly authenticator: Authenticator;
  readonly log: Logger;
  /** Base URL for links; derived from the Host header when null. */
  readonly publicUrl: string | null;
  /** Connection strings of a cluster (default: computed from stored state). */
  readonly connectionStrings?: ConnectionStringsOf;
}

/**
 * The Admin API: Atlas paths under `/api/atlas/v1.0` and `/api/atlas/v2`, JSON bodies in
 * `application/json` or `application/vnd.atlas.YYYY-MM-DD+json`, Digest auth, Atlas error
 * envelope. Thin: parse → use case → serialise.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 } });
  app.removeAllContentTypeParsers();
  const parseJson = (_request: unknown, body: string, done: (error: Error | null, value?: unknown) => void) => {
    if (body.trim().length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      done(new ApiError('INVALID_JSON'));
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
  app.addContentTypeParser(/^application\/vnd\.atlas\.[^+]+\+json/i, { parseAs: 'string' }, parseJson);
  app.setErrorHandler(errorHandler(options.log));
  app.setNotFoundHandler((request, reply) => sendApiError(reply, new ApiError('RESOURCE_NOT_FOUND', [request.url.split('?')[0]])));
  app.addHook('onResponse', async (request, reply) => {
    options.log.debug('request', { requestId: request.id, method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
  });

  const registrar = routeRegistrar(app, options.ctx, options.authenticator, options.publicUrl);
  identityRoutes(registrar, options.authenticator);
  clustersRoutes(registrar, options.connectionStrings ?? connectionStringsOf);
  privateEndpointsRoutes(registrar);
  eventsRoutes(registrar);
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.ready();
  return app;
}
