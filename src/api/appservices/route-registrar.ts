import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { CONSOLE_CSRF_HEADER } from '../../domain/console-session.js';
import { ApiError, type ErrorName } from '../../domain/errors.js';
import type { Principal } from '../../domain/identity.js';
import { isObjectId } from '../../domain/object-id.js';
import { requestWork, runWithContext } from '../../observability/request-context.js';
import { guardPathParams, guardQuery } from '../input-guard.js';
import { parseRequestBody } from '../request-body.js';
import type { RouteAccess } from '../route-access.js';

/** What a v3 handler sees. `principal` is set on routes that take an access token. */
export interface AppServicesRequest {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
  /** The caller's address (the access list's `current_ip`). */
  readonly clientAddress: string;
  readonly ctx: AppContext;
}

export interface AppServicesResult {
  readonly status: number;
  readonly body?: unknown;
}

export type AppServicesHandler = (request: AppServicesRequest) => Promise<AppServicesResult>;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface AppServicesRouteOptions {
  /**
   * `access` (default): a Bearer access token, checked before anything else (401 otherwise);
   * `none`: the handler authenticates by itself (login with the key pair, session refresh with
   * the refresh token).
   */
  readonly auth?: 'access' | 'none';
  /** For routes with a body and an access token: the project role checked before the body is parsed. */
  readonly access?: RouteAccess;
  /** Parse a body (routes with `auth: 'none'` that take one). */
  readonly body?: boolean;
}

/** What a browser sends instead of a Bearer token: the console's `Cookie` and `X-CSRF-Token` headers. */
export interface BrowserCredentials {
  readonly cookie?: string | undefined;
  readonly csrfToken?: string | undefined;
}

/** Path parameters that must be ObjectIds, and the error when one is not (it cannot name anything). */
const OBJECT_ID_PARAMS: ReadonlyArray<[string, ErrorName]> = [
  ['groupId', 'PATH_PARAM_PARSE_ERROR'],
  ['appId', 'APP_NOT_FOUND'],
  ['privateEndpointId', 'APP_PRIVATE_ENDPOINT_NOT_FOUND'],
  ['serviceId', 'APP_SERVICE_NOT_FOUND'],
  ['ipId', 'APP_ALLOWED_IP_NOT_FOUND'],
];

export interface AppServicesRegistrar {
  route(method: Method, path: string, handler: AppServicesHandler, options?: AppServicesRouteOptions): void;
  allowedMethods(path: string): Method[];
}

/**
 * Registers v3 routes under `prefix`. Each route, in this order: authenticates the Bearer access
 * token, or the web console's session cookie with its CSRF token on writes (an `onRequest` hook,
 * before the body is read); checks path and query parameters; checks
 * the route's declared project access; parses the body (`application/json`); runs the handler;
 * answers `application/json` (or no body).
 */
export function appServicesRegistrar(
  app: FastifyInstance,
  ctx: AppContext,
  prefix: string,
  authenticate: (method: string, authorization: string | undefined, browser: BrowserCredentials) => Promise<Principal>,
): AppServicesRegistrar {
  const principals = new WeakMap<FastifyRequest, Principal>();
  const patterns: Array<{ method: Method; pattern: RegExp }> = [];
  return {
    route(method, path, handler, options = {}) {
      const auth = options.auth ?? 'access';
      patterns.push({ method, pattern: pathPattern(prefix + path) });
      app.route({
        method,
        url: prefix + path,
        onRequest: async (request: FastifyRequest) => {
          if (auth !== 'access') return;
          const csrf = request.headers[CONSOLE_CSRF_HEADER];
          const browser = { cookie: request.headers.cookie, csrfToken: typeof csrf === 'string' ? csrf : undefined };
          const principal = await runWithContext(requestWork(request), () => authenticate(request.method, request.headers.authorization, browser));
          principals.set(request, principal);
        },
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const params = request.params as Record<string, string>;
          const requestPath = request.url.split('?')[0]!;
          for (const [name, error] of OBJECT_ID_PARAMS) {
            if (params[name] !== undefined && !isObjectId(params[name])) throw new ApiError(error, name === 'groupId' ? [requestPath] : [params[name]]);
          }
          guardPathParams(params);
          const query = request.query as Record<string, string>;
          guardQuery(query);
          const principal = principals.get(request)!;
          const result = await runWithContext(requestWork(request), async () => {
            if (options.access) await options.access(ctx, principal, params);
            const body = options.access || options.body ? parseRequestBody(request.body, request.headers['content-type']) : undefined;
            return handler({ principal, params, query, body, authorization: request.headers.authorization, clientAddress: request.ip, ctx });
          });
          reply.code(result.status);
          if (result.body === undefined) return reply.send();
          return reply.header('content-type', 'application/json').send(JSON.stringify(result.body));
        },
      });
    },
    allowedMethods: (path) => [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))],
  };
}

function pathPattern(route: string): RegExp {
  const source = route
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
