import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../app/app-context.js';
import { connectionStringsOf } from '../app/connection-strings.js';
import { storeReadiness, type Readiness } from '../app/readiness.service.js';
import { ApiError } from '../domain/errors.js';
import type { Logger } from '../logging/logger.js';
import { isUnder, type ApiFlavour, type MountedFlavour } from './api-flavour.js';
import { atlasFlavour } from './atlas/atlas.flavour.js';
import { appServicesFlavour } from './appservices/appservices.flavour.js';
import { credentialsLookup } from '../app/authentication.service.js';
import type { TokenLifetimes } from '../app/appservices-sessions.service.js';
import type { Authenticator } from './atlas/authenticate.js';
import type { ConnectionStringsOf } from './atlas/routes/clusters.routes.js';
import { errorHandler, type SendApiError } from './error-handler.js';
import { healthRoutes } from './health.routes.js';
import { observabilityHooks, requestId, type MetricsAccess } from './observability.hooks.js';
import type { PrivlinkMetrics } from '../observability/metrics.js';
import type { Tracer } from '../observability/tracing.js';
import type { ConsoleSessions } from '../app/console-sessions.service.js';
import { sessionRoutes } from './console/session.routes.js';
import { consoleStaticFiles } from './console/static-files.js';
import { RawBody } from './request-body.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './transport-errors.js';

/** Largest request body accepted (larger → 413 REQUEST_BODY_TOO_LARGE). */
const BODY_LIMIT = 1024 * 1024;

export interface ApiServerOptions {
  readonly ctx: AppContext;
  /** The Atlas flavour's Digest authentication against API keys. */
  readonly authenticator: Authenticator;
  readonly log: Logger;
  /** Base URL for links; when null, the address the server listens on (`http://<host>:<port>`), never the Host header. */
  readonly publicUrl: string | null;
  /** Connection strings of a cluster (default: computed from stored state). */
  readonly connectionStrings?: ConnectionStringsOf;
  /** What `GET /readyz` checks (default: the store answers and is migrated). */
  readonly readiness?: Readiness;
  /** HTTP metrics and `GET /metrics` (absent: neither). */
  readonly metrics?: PrivlinkMetrics;
  /** Who may read `/metrics` (default `loopback`). */
  readonly metricsAccess?: MetricsAccess;
  /** With tracing on: request spans (the tracer is handed down the work context). */
  readonly tracer?: Tracer;
  /** App Services Admin API token lifetimes (default: access 30 minutes, refresh 60 days). */
  readonly appServicesTokens?: TokenLifetimes;
  /** Web console sessions (sign-in at `/console/api/session`); without them the console cannot sign in. */
  readonly consoleSessions?: ConsoleSessions;
}

/**
 * The Admin API: its flavours (today Atlas's, under `/api/atlas/v1.0` and `/api/atlas/v2`), each
 * with its own paths, authentication and error shape, and what they share: JSON bodies in
 * `application/json` or `application/vnd.atlas.YYYY-MM-DD+json`, edge guards, and an error body
 * on every answer that is not a success (framework and HTTP parser errors included): the shape of
 * the flavour the path belongs to, else the first flavour's. Thin: authenticate → authorise →
 * parse → use case → serialise. Probes: `/healthz`, `/readyz`. The web console: its files at `/`
 * (and its page paths), its session at `/console/api/session`.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  // The first flavour's error shape also answers paths outside every flavour.
  const flavours: readonly ApiFlavour[] = [
    atlasFlavour({ authenticator: options.authenticator, connectionStrings: options.connectionStrings ?? connectionStringsOf }),
    appServicesFlavour({
      credentials: credentialsLookup(options.ctx.store),
      ...(options.appServicesTokens ? { tokenLifetimes: options.appServicesTokens } : {}),
      ...(options.consoleSessions ? { consoleSessions: options.consoleSessions } : {}),
    }),
  ];
  const mounted: Array<{ flavour: ApiFlavour; routes: MountedFlavour }> = [];
  const flavourOf = (url: string): ApiFlavour => flavours.find((f) => isUnder(url.split('?')[0]!, f.prefix)) ?? flavours[0]!;
  const send: SendApiError = (reply, error) => flavourOf(reply.request.url).sendError(reply, error);
  const handleError = errorHandler(options.log, BODY_LIMIT, send);
  const clientErrors = clientErrorHandler((error) => flavours[0]!.errorBody(error));
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    genReqId: requestId,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrors(send, handleError),
    clientErrorHandler: clientErrors.handler,
  });
  clientErrors.track(app);
  // A client may close its sending side once its request is sent (`nc -N`, a raw socket's
  // `end()`) and still read the answer: HTTP/1.1 frames a request by its length, never by the
  // connection's close (RFC 9112, section 6.3). Node's server would drop such a request unless
  // it was answered at once; with this it answers, then closes the connection.
  (app.server as { httpAllowHalfOpen?: boolean }).httpAllowHalfOpen = true;
  // Bodies are only collected here; the registrar parses them once the caller may make the call.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, new RawBody(body as string)));
  app.setErrorHandler(handleError);
  observabilityHooks(app, {
    log: options.log,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.metricsAccess ? { metricsAccess: options.metricsAccess } : {}),
    ...(options.tracer ? { tracer: options.tracer } : {}),
  });

  const listening = listeningUrlOf(app);
  const baseUrl = () => options.publicUrl ?? listening();
  for (const flavour of flavours) mounted.push({ flavour, routes: flavour.register(app, { ctx: options.ctx, baseUrl }) });
  if (options.consoleSessions) {
    // Browsers reach privlink over HTTPS when its public URL says so (TLS ends at a proxy in front
    // of it) or the socket itself is TLS; forwarding headers are not trusted (a client can send them).
    const secure = (request: { protocol: string }) => (options.publicUrl ?? '').startsWith('https:') || request.protocol === 'https';
    sessionRoutes(app, { sessions: options.consoleSessions, secure, providers: options.ctx.settings.providers });
  }
  const consoleFiles = consoleStaticFiles(app);
  app.setNotFoundHandler((request, reply) => {
    if (consoleFiles.fallback(request, reply)) return reply;
    const path = request.url.split('?')[0]!;
    const allowed = mounted.find((m) => isUnder(path, m.flavour.prefix))?.routes.allowedMethods(path) ?? [];
    if (allowed.length === 0) return send(reply, new ApiError('RESOURCE_NOT_FOUND', [path]));
    reply.header('allow', allowed.join(', '));
    return send(reply, new ApiError('METHOD_NOT_ALLOWED', [request.method, path]));
  });
  healthRoutes(app, options.readiness ?? storeReadiness({ store: options.ctx.store }));
  await app.ready();
  return app;
}

/**
 * `http://<host>:<port>` of the listening socket (IPv6 hosts in brackets), read once per `listen`
 * (every response with links asks for it; the address cannot change while the socket is open).
 */
function listeningUrlOf(app: FastifyInstance): () => string {
  let known: string | undefined;
  const forget = () => (known = undefined);
  app.server.on('listening', forget);
  app.server.on('close', forget);
  return () => {
    if (known !== undefined) return known;
    const address = app.server.address() as AddressInfo | null;
    if (!address || typeof address !== 'object') return 'http://localhost';
    const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
    return (known = `http://${host}:${address.port}`);
  };
}
