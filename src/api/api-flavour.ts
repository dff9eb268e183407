import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import type { ApiError } from '../domain/errors.js';
import type { SendApiError } from './error-handler.js';

/** What the server hands every flavour when it mounts it. */
export interface FlavourDeps {
  readonly ctx: AppContext;
  /** Base URL for links (`http://<host>:<port>`, or the configured public URL), never the Host header. */
  readonly baseUrl: () => string;
}

/** A flavour once its routes are registered. */
export interface MountedFlavour {
  /** The methods registered for a concrete request path (empty when no route has that path): 405 vs 404. */
  allowedMethods(path: string): string[];
}

/**
 * One dialect of the Admin API, mounted by `buildApiServer` beside the others: its own paths
 * (everything under `prefix`), authentication, versioning and error shape. The server owns what
 * every flavour shares: body collection and parsing, edge guards, transport errors, probes.
 */
export interface ApiFlavour {
  /** Path prefix all of this flavour's routes live under, e.g. `/api/atlas`. Flavours' prefixes do not overlap. */
  readonly prefix: string;
  /** Registers the flavour's routes on `app`; called once, before the server is ready. */
  register(app: FastifyInstance, deps: FlavourDeps): MountedFlavour;
  /** Answers a request under `prefix` with `error` in this flavour's error shape. */
  readonly sendError: SendApiError;
  /**
   * The JSON body of `error` in this flavour's shape, for answers written straight to the socket
   * (the HTTP parser refused the request before any route or path was known).
   */
  errorBody(error: ApiError): unknown;
}

/** True when `path` (without query) is `prefix` or below it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}
