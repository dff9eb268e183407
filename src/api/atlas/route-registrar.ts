import { requestWork, runWithContext } from '../../observability/request-context.js';
import { recordCallerKey, requestTrace } from '../observability.hooks.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { ApiError } from '../../domain/errors.js';
import type { Principal } from '../../domain/identity.js';
import { isObjectId } from '../../domain/object-id.js';
import type { Authenticator } from './authenticate.js';
import { CONSOLE_CSRF_HEADER } from '../../domain/console-session.js';
import { guardPathParams, guardQuery } from '../input-guard.js';
import { parseRequestBody } from '../request-body.js';
import type { RouteAccess } from '../route-access.js';
import { resolveVersion, versionedContentType } from './versioning.js';
import { pathOf } from '../request-path.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The caller an Atlas route's request authenticated as: set by its `onRequest` hook, null
     * before (and on every other route). A request decoration, not a WeakMap: one hidden class for
     * every request, where a WeakMap entry per request was a measurable part of a GET's cost.
     */
    atlasPrincipal: Principal | null;
  }
}

/** What a route handler sees: the authenticated caller and the parsed request. */
export interface ApiRequest {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Base URL of this API flavour for links, e.g. `http://127.0.0.1:8080/api/atlas/v2`. */
  readonly base: string;
  /** The request path without the query string. */
  readonly path: string;
  readonly ctx: AppContext;
  /** The request's headers (names lower-case). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A handler's answer: HTTP status and JSON body (`undefined` = no body). */
export interface ApiResult {
  readonly status: number;
  /**
   * The JSON body. A frozen body (`Object.freeze`, and nothing it holds ever changes) is one the
   * handler answers again: its JSON text is made once and kept with it (see `bodyJson`).
   */
  readonly body?: unknown;
  /**
   * A streamed answer instead of a body (server-sent events): called once the status and
   * `content-type: text/event-stream` are sent; `write` sends raw text, `signal` aborts when the
   * client goes away or the server shuts down. The answer ends when the returned promise settles.
   */
  readonly stream?: (write: (text: string) => void, signal: AbortSignal) => Promise<void>;
}

export type Handler = (request: ApiRequest) => Promise<ApiResult>;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Registers one Atlas operation under both `/api/atlas/v1.0` and `/api/atlas/v2`. */
export interface RouteRegistrar {
  get(path: string, handler: Handler, options?: RouteOptions): void;
  post(path: string, handler: Handler, options: BodyRouteOptions): void;
  patch(path: string, handler: Handler, options: BodyRouteOptions): void;
  put(path: string, handler: Handler, options: BodyRouteOptions): void;
  delete(path: string, handler: Handler, options?: RouteOptions): void;
  /** The methods registered for a concrete request path (empty when no route has that path). */
  allowedMethods(path: string): Method[];
}

export interface RouteOptions {
  /** v2 resource versions, ascending (default `['2023-01-01']`). */
  readonly versions?: readonly string[];
  /** Register under `/api/atlas/v2` only (operations the v1.0 API does not have). */
  readonly v2Only?: boolean;
  /** A server-sent-events route: `Accept: text/event-stream` is accepted as well as Atlas's media types. */
  readonly eventStream?: boolean;
}

/** Routes with a body declare the access they need: it is checked before the body is parsed. */
export interface BodyRouteOptions extends RouteOptions {
  readonly access: RouteAccess;
}

/** Path parameters that must be 24-hex ObjectIds (else 400 PATH_PARAM_PARSE_ERROR, as Atlas). */
const OBJECT_ID_PARAMS = ['groupId', 'orgId', 'apiUserId', 'endpointServiceId', 'eventId', 'serverlessEndpointId'];

const PREFIXES = [
  { prefix: '/api/atlas/v1.0', v2: false },
  { prefix: '/api/atlas/v2', v2: true },
] as const;

/**
 * Builds the registrar. Each route, in this order: authenticates by Digest, or by a web console
 * session cookie with its CSRF token on writes (an `onRequest` hook, before the body is read); checks path and query parameters (ObjectIds, no NUL); resolves the v2
 * version from `Accept` (406 without a versioned one); checks the route's declared access; parses
 * the body (media type, JSON, edge guards); runs the handler; answers with Atlas's content type
 * (`application/vnd.atlas.<version>+json;charset=utf-8` on v2, `application/json` on v1.0),
 * honouring `?pretty=true` and `?envelope=true`. Links use `baseUrl()`, never the Host header.
 */
export function routeRegistrar(app: FastifyInstance, ctx: AppContext, authenticator: Authenticator, baseUrl: () => string): RouteRegistrar {
  app.decorateRequest('atlasPrincipal', null);
  // Aborted when the server starts closing, so open streams end and do not hold the close up.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  const patterns: Array<{ method: Method; pattern: RegExp }> = [];
  const add =
    (method: Method) =>
    (path: string, handler: Handler, options: RouteOptions | BodyRouteOptions = {}) => {
      const access = 'access' in options ? options.access : undefined;
      for (const { prefix, v2 } of PREFIXES) {
        if (options.v2Only && !v2) continue;
        patterns.push({ method, pattern: pathPattern(prefix + path) });
        const idParams = objectIdParamsOf(path);
        app.route({
          method,
          url: prefix + path,
          // Callback style: a cached key is authenticated without a promise (see Authenticator.authenticate).
          onRequest: (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
            const csrf = request.headers[CONSOLE_CSRF_HEADER];
            const browser = { cookie: request.headers.cookie, csrfToken: typeof csrf === 'string' ? csrf : undefined };
            // In the request's work context: a key read from the store goes before background work (WorkContext.answering).
            const authenticated = runWithContext(requestWork(request), () => authenticator.authenticate(request.method, request.url, request.headers.authorization, browser));
            const accept = (principal: Principal): void => {
              request.atlasPrincipal = principal;
              if (principal.kind === 'apiKey' && request.headers.authorization !== undefined) recordCallerKey(request, principal.name);
              done();
            };
            if (authenticated instanceof Promise) authenticated.then(accept, done);
            else accept(authenticated);
          },
          // Not an async function, and `then` rather than `await`: fewer promises per request, and
          // every promise runs a hook while the work context (AsyncLocalStorage) is carried along.
          handler: (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
            const principal = request.atlasPrincipal!;
            const params = request.params as Record<string, string>;
            const path = pathOf(request.url);
            for (const name of idParams) {
              if (params[name] !== undefined && !isObjectId(params[name])) throw new ApiError('PATH_PARAM_PARSE_ERROR', [path]);
            }
            guardPathParams(params);
            const query = request.query as Record<string, string>;
            guardQuery(query);
            const wantsStream = options.eventStream === true && /^\s*text\/event-stream\s*(;|,|$)/i.test(request.headers.accept ?? '');
            const version = v2 && !wantsStream ? resolveVersion(request.headers.accept, options.versions ?? ['2023-01-01']) : undefined;
            const run = (): Promise<ApiResult> => {
              const body = access ? parseRequestBody(request.body, request.headers['content-type']) : undefined;
              return handler({ principal, params, query, body, base: baseUrl() + prefix, path, ctx, headers: request.headers });
            };
            const answer = (result: ApiResult): unknown => {
              if (result.stream) return streamed(request, reply, result.status, result.stream, closing.signal);
              reply.code(result.status);
              if (result.body === undefined) return reply.send();
              const payload = query.envelope === 'true' ? envelope(result) : result.body;
              reply.header('content-type', version ? versionedContentType(version) : 'application/json');
              return reply.send(query.pretty === 'true' ? JSON.stringify(payload, null, 2) : bodyJson(payload));
            };
            return runWithContext(requestWork(request, requestTrace(request)), () => (access ? access(ctx, principal, params).then(run) : run())).then(answer);
          },
        });
      }
    };
  return {
    get: add('GET'),
    post: add('POST'),
    patch: add('PATCH'),
    put: add('PUT'),
    delete: add('DELETE'),
    allowedMethods: (path) => [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))],
  };
}

/** Sends a streamed answer (see ApiResult.stream) on the raw response, outside Fastify's serialisation. */
async function streamed(request: FastifyRequest, reply: FastifyReply, status: number, stream: NonNullable<ApiResult['stream']>, closing: AbortSignal): Promise<void> {
  const aborted = new AbortController();
  const abort = () => aborted.abort();
  // The response's close (not the request's, which closes once its body is read): the client went away.
  reply.raw.once('close', abort);
  closing.addEventListener('abort', abort, { once: true });
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(status, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  raw.flushHeaders();
  try {
    await stream((text) => void (raw.writableEnded || raw.write(text)), aborted.signal);
  } finally {
    reply.raw.off('close', abort);
    closing.removeEventListener('abort', abort);
    raw.end();
  }
}

/** The ObjectId parameters (OBJECT_ID_PARAMS) a route path declares, e.g. `['groupId']` for `/groups/:groupId`. */
function objectIdParamsOf(path: string): string[] {
  const declared = path.split('/').flatMap((segment) => (segment.startsWith(':') ? [segment.slice(1)] : []));
  return OBJECT_ID_PARAMS.filter((name) => declared.includes(name));
}

/** `/a/:b/c` → a pattern matching `/a/<one segment>/c` (with an optional trailing slash). */
function pathPattern(route: string): RegExp {
  const source = route
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** JSON texts of frozen bodies (ApiResult.body), each made once: the endpoint-service GET answers one body many times. */
const frozenBodyJson = new WeakMap<object, string>();

/** `JSON.stringify(body)`, kept for a frozen body (nothing else is kept: a WeakMap entry per request would cost more than it saves). */
function bodyJson(body: unknown): string {
  if (typeof body !== 'object' || body === null || !Object.isFrozen(body)) return JSON.stringify(body);
  let text = frozenBodyJson.get(body);
  if (text === undefined) frozenBodyJson.set(body, (text = JSON.stringify(body)));
  return text;
}

/** `?envelope=true`: lists keep their `results` and gain `status`; single results go under `content`. */
function envelope(result: ApiResult): unknown {
  const body = result.body as Record<string, unknown>;
  if (body && typeof body === 'object' && !Array.isArray(body) && 'results' in body) return { ...body, status: result.status };
  return { content: result.body, status: result.status };
}
