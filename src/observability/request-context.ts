import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span, Tracer } from '@opentelemetry/api';
import type { Logger } from '../logging/logger.js';

/** What the current asynchronous flow is working for: an Admin API request, a reconcile pass, or both. */
export interface WorkContext {
  /** `X-Request-Id` of the Admin API request being answered, or that caused this reconcile pass. */
  readonly requestId?: string;
  /** The work kind and key (the object id) of the reconcile pass running. */
  readonly workKind?: string;
  readonly objectId?: string;
  /** With tracing on: the process's tracer and the span new spans hang under (never logged). */
  readonly tracer?: Tracer;
  readonly span?: Span;
  /**
   * Set while an Admin API caller waits for this work's answer: `read` for a GET (it only reads),
   * `write` for any other method (and for a local cloud's answer to a cloud call, whose caller
   * waits too). The embedded store's one session goes to reads first, then to writes, then to
   * background work (reconcile passes, the data plane's reads of the local clouds), none starved.
   */
  readonly answering?: Answering;
}

export type Answering = 'read' | 'write';

const storage = new AsyncLocalStorage<WorkContext>();

/**
 * Runs `fn` with `context` as the current work context (Node's AsyncLocalStorage: it follows every
 * await and callback started inside). The API runs each handler in one, so a use case that queues
 * reconcile work records the request id; the controller runs each pass in one.
 */
export function runWithContext<T>(context: WorkContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * Runs `fn` outside every work context: what it starts is background work of its own, not the
 * current caller's (it neither carries the caller's request id nor takes its place on the
 * embedded store's session).
 */
export function runDetached<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The current work context (undefined outside every request and pass). */
export function currentContext(): WorkContext | undefined {
  return storage.getStore();
}

/** How an Admin API caller waits for the current work (see `WorkContext.answering`); undefined for background work. */
export function answering(): Answering | undefined {
  return storage.getStore()?.answering;
}

/**
 * The work context of an Admin API request: its id, and how its caller waits (a GET or HEAD
 * reads, any other method writes); `traced` adds the request's span when tracing is on.
 */
export function requestWork(request: { readonly id: string; readonly method: string }, traced?: Pick<WorkContext, 'tracer' | 'span'>): WorkContext {
  return { requestId: request.id, answering: request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write', ...traced };
}

/**
 * A logger that adds the current work context's fields (`requestId`, `workKind`, `objectId`) to
 * every line, so a reconciler's log lines name the object and the request that caused the work
 * without passing either down.
 */
export function contextualLogger(log: Logger): Logger {
  const withContext = (fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
    const context = storage.getStore();
    if (!context) return fields;
    const { requestId, workKind, objectId } = context;
    return { ...(requestId ? { requestId } : {}), ...(workKind ? { workKind } : {}), ...(objectId ? { objectId } : {}), ...fields };
  };
  return {
    debug: (msg, fields) => log.debug(msg, withContext(fields)),
    info: (msg, fields) => log.info(msg, withContext(fields)),
    warn: (msg, fields) => log.warn(msg, withContext(fields)),
    error: (msg, fields) => log.error(msg, withContext(fields)),
    child: (fields) => contextualLogger(log.child(fields)),
  };
}
