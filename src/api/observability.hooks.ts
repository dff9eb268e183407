import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { Logger } from '../logging/logger.js';
import { UNMATCHED_ROUTE, type PrivlinkMetrics } from '../observability/metrics.js';
import { randomIds } from '../observability/random-ids.js';
import { SpanKind, SpanStatusCode, startSpan, type Span, type Tracer } from '../observability/tracing.js';
import { parseDigestAuthorization } from './atlas/digest-auth.js';
import { pathOf } from './request-path.js';

/** Who may read `GET /metrics`: `loopback` (default: 127.0.0.0/8 and ::1, no auth), `any` address, or nobody (`off`). */
export type MetricsAccess = 'loopback' | 'any' | 'off';

export interface ObservabilityOptions {
  readonly log: Logger;
  /** Absent: no HTTP metrics and no `/metrics` route. */
  readonly metrics?: PrivlinkMetrics;
  readonly metricsAccess?: MetricsAccess;
  /** With tracing on: every request is a server span `<METHOD> <route template>` (a caller's `traceparent` is its parent). */
  readonly tracer?: Tracer;
}

const requestSpans = new WeakMap<FastifyRequest, { tracer: Tracer; span: Span }>();

/** The request's tracer and span (tracing on), for the handler's work context. */
export function requestTrace(request: FastifyRequest): { tracer: Tracer; span: Span } | undefined {
  return requestSpans.get(request);
}

/** A caller's `X-Request-Id` is kept when it is this safe (it goes into logs verbatim); otherwise a new one is made. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Request ids for Fastify's `genReqId`: the caller's `X-Request-Id` when it is short and plain,
 * else 16 random hex digits. Every answer echoes it in `X-Request-Id`.
 */
export function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomIds.hex(8);
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The public key the request proved (set by the route registrar after Digest succeeded, through
     * `recordCallerKey`), null otherwise. A request decoration rather than a WeakMap entry per request.
     */
    provenCallerKey: string | null;
  }
}

/** Records the public key a request authenticated with, for its log line. */
export function recordCallerKey(request: FastifyRequest, publicKey: string): void {
  request.provenCallerKey = publicKey;
}

/**
 * Per-request observability for every route of the server, whoever registers it (route
 * templates come from Fastify, so new routes are covered without edits): the `X-Request-Id`
 * header, one info log line per answered request (request id, caller key, route template, status,
 * duration), HTTP metrics, and `GET /metrics` in the Prometheus text format.
 */
export function observabilityHooks(app: FastifyInstance, options: ObservabilityOptions): void {
  const { log, metrics, tracer } = options;
  app.decorateRequest('provenCallerKey', null);
  // Callback-style hooks: no promise per request for work that never waits.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (tracer) startRequestSpan(tracer, request);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const seconds = reply.elapsedTime / 1000;
    const traced = requestSpans.get(request);
    if (traced?.span.isRecording()) {
      traced.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
      traced.span.end();
    }
    metrics?.http(request.method, route, reply.statusCode, seconds);
    log.info('request', {
      requestId: request.id,
      method: request.method,
      route,
      path: pathOf(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...callerOf(request, reply.statusCode),
    });
    done();
  });
  if (!metrics) return;
  const access = options.metricsAccess ?? 'loopback';
  app.get('/metrics', async (request, reply) => {
    // Outside the allowed callers the path does not exist (nothing tells a scanner it is there).
    if (access === 'off' || (access === 'loopback' && !isLoopback(request.socket.remoteAddress))) throw new ApiError('RESOURCE_NOT_FOUND', ['/metrics']);
    const { contentType, text } = await metrics.scrape();
    return reply.type(contentType).send(text);
  });
}

/**
 * Opens the request's server span (a caller's `traceparent` is its parent). Its attributes are set
 * only when the span records: a request the sampler drops builds none of them.
 */
function startRequestSpan(tracer: Tracer, request: FastifyRequest): void {
  const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
  const caller = request.headers.traceparent;
  const span = startSpan(tracer, `${request.method} ${route}`, { kind: SpanKind.SERVER, ...(typeof caller === 'string' ? { parent: caller } : {}) })!;
  if (span.isRecording()) {
    span.setAttributes({ 'http.request.method': request.method, 'http.route': route, 'url.path': pathOf(request.url), 'privlink.request_id': request.id });
  }
  requestSpans.set(request, { tracer, span });
}

/** The public key the caller authenticated with (not on a 401: that key was not proven). */
function callerOf(request: FastifyRequest, status: number): { callerKey?: string } {
  if (status === 401 || !request.headers.authorization) return {};
  const username = request.provenCallerKey ?? parseDigestAuthorization(request.headers.authorization)?.username;
  return username ? { callerKey: username.slice(0, 64) } : {};
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
