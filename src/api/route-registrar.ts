import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { ApiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { isObjectId } from '../domain/object-id.js';
import type { Authenticator } from './authenticate.js';
import { resolveVersion, versionedContentType } from './versioning.js';

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
}

/** A handler's answer: HTTP status and JSON body (`undefined` = no body). */
export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
}

export type Handler = (request: ApiRequest) => Promise<ApiResult>;

/** Registers one Atlas operation under both `/api/atlas/v1.0` and `/api/atlas/v2`. */
export interface RouteRegistrar {
  get(path: string, handler: Handler, options?: RouteOptions): void;
  post(path: string, handler: Handler, options?: RouteOptions): void;
  patch(path: string, handler: Handler, options?: RouteOptions): void;
  put(path: string, handler: Handler, options?: RouteOptions): void;
  delete(path: string, handler: Handler, options?: RouteOptions): void;
}

export interface RouteOptions {
  /** v2 resource versions, ascending (default `['2023-01-01']`). */
  readonly versions?: readonly string[];
}

/** Path parameters that must be 24-hex ObjectIds (else 400 PATH_PARAM_PARSE_ERROR, as Atlas). */
const OBJECT_ID_PARAMS = ['groupId', 'orgId', 'apiUserId', 'endpointServiceId', 'eventId'];

const PREFIXES = [
  { prefix: '/api/atlas/v1.0', v2: false },
  { prefix: '/api/atlas/v2', v2: true },
] as const;

/**
 * Builds the registrar: each route authenticates by Digest, validates ObjectId path parameters,
 * resolves the v2 version from `Accept`, runs the handler, and answers with Atlas's content type
 * (`application/vnd.atlas.<version>+json;charset=utf-8` on v2, `application/json` on v1.0),
 * honouring `?pretty=true` and `?envelope=true`.
 */
export function routeRegistrar(app: FastifyInstance, ctx: AppContext, authenticator: Authenticator, publicUrl: string | null): RouteRegistrar {
  const add = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE') => (path: string, handler: Handler, options: RouteOptions = {}) => {
    for (const { prefix, v2 } of PREFIXES) {
      app.route({
        method,
        url: prefix + path,
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const principal = await authenticator.authenticate(request.method, request.url, request.headers.authorization);
          const params = request.params as Record<string, string>;
          const path = request.url.split('?')[0]!;
          for (const name of OBJECT_ID_PARAMS) {
            if (params[name] !== undefined && !isObjectId(params[name])) throw new ApiError('PATH_PARAM_PARSE_ERROR', [path]);
          }
          const version = v2 ? resolveVersion(request.headers.accept, options.versions ?? ['2023-01-01']) : undefined;
          const base = `${publicUrl ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`}${prefix}`;
          const query = request.query as Record<string, string>;
          const result = await handler({ principal, params, query, body: request.body, base, path, ctx });
          reply.code(result.status);
          if (result.body === undefined) return reply.send();
          const body = query.envelope === 'true' ? envelope(result) : result.body;
          reply.header('content-type', version ? versionedContentType(version) : 'application/json');
          return reply.send(query.pretty === 'true' ? JSON.stringify(body, null, 2) : JSON.stringify(body));
        },
      });
    }
  };
  return { get: add('GET'), post: add('POST'), patch: add('PATCH'), put: add('PUT'), delete: add('DELETE') };
}

/** `?envelope=true`: lists keep their `results` and gain `status`; single results go under `content`. */
function envelope(result: ApiResult): unknown {
  const body = result.body as Record<string, unknown>;
  if (body && typeof body === 'object' && !Array.isArray(body) && 'results' in body) return { ...body, status: result.status };
  return { content: result.body, status: result.status };
}
