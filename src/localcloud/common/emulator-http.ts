import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { runWithContext, type WorkContext } from '../../observability/request-context.js';

/** One request to an emulated cloud API, its body read whole. */
export interface EmulatorRequest {
  readonly method: string;
  readonly path: string;
  /** The query string without `?` (empty when there is none). */
  readonly rawQuery: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** The answer an emulator sends: status, headers and body, possibly held back (a timeout fault). */
export interface EmulatorReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent with its Content-Length; none for a HEAD or when undefined. */
  readonly body: string | undefined;
  /** Hold the answer this long (ms) before sending it; 0 sends at once. */
  readonly holdMs: number;
  /** A bug the emulator caught while answering (reported as a process warning). */
  readonly internalError?: unknown;
}

/**
 * The HTTP side every cloud emulator shares: reads a request body up to `maxBodyBytes` (a larger
 * one drops the connection), asks `answer`, and sends the reply — at once, or after `holdMs` for a
 * timeout fault. `close()` drops held answers (their connections are reset).
 */
/**
 * Keeps idle keep-alive connections open longer than clients keep them (Node's agents and the
 * clouds' SDKs drop idle sockets after a few seconds; Node's server would drop them after 5 s):
 * the client then always closes first, so it never sends a request on a socket the server is
 * closing at that moment (which surfaces as ECONNRESET in the client). A client that closes its
 * sending side once its request is sent still gets the answer, as from the clouds' own front
 * doors: HTTP/1.1 frames a request by its length, never by the connection's close (RFC 9112,
 * section 6.3), and Node's server would drop a request not answered at once.
 */
export function keepClientsAlive(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  (server as { httpAllowHalfOpen?: boolean }).httpAllowHalfOpen = true;
}

/**
 * Caps the connections a cloud emulator's server holds at once: past `max` Node closes a new
 * connection as soon as it accepts it (the client sees it reset, as a real cloud's front door
 * under too many connections resets), and `onDrop` hears of each one. Capping again replaces both.
 */
export function capConnections(server: Server, max: number, onDrop: () => void): void {
  const earlier = dropListeners.get(server);
  if (earlier) server.off('drop', earlier);
  dropListeners.set(server, onDrop);
  server.maxConnections = max;
  server.on('drop', onDrop);
}
/** Each capped server's drop listener, so that capping it again replaces it. */
const dropListeners = new WeakMap<Server, () => void>();

/**
 * The work context a cloud call is answered in: its caller waits for the answer, as an Admin API
 * caller waits for a write's, so on the embedded store's one session it goes before background
 * work (the data plane's reads of the clouds' views, reconcile passes' own statements).
 */
const CLOUD_CALL: WorkContext = { answering: 'write' };

export class EmulatorHttp {
  private readonly held = new Map<NodeJS.Timeout, ServerResponse>();
  private closed = false;

  constructor(
    /** `AWS`, `Azure`, `GCP`: names the emulator in warnings. */
    private readonly label: string,
    private readonly maxBodyBytes: number,
    private readonly answer: (request: EmulatorRequest) => Promise<EmulatorReply>,
  ) {}

  /** The request listener for `http.createServer` / `https.createServer`. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBodyBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const request = {
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        rawQuery: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      runWithContext(CLOUD_CALL, () => this.answer(request))
        .then((reply) => {
          if (reply.internalError) process.emitWarning(`local cloud ${this.label}: ${String((reply.internalError as Error)?.stack ?? reply.internalError)}`);
          const send = () => {
            if (res.destroyed) return;
            const body = reply.body === undefined || req.method === 'HEAD' ? undefined : reply.body;
            res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(body === undefined ? 0 : Buffer.byteLength(body)) });
            res.end(body);
          };
          if (reply.holdMs <= 0 || this.closed) return send();
          const timer = setTimeout(() => {
            this.held.delete(timer);
            send();
          }, reply.holdMs);
          this.held.set(timer, res);
        })
        .catch(() => res.destroy());
    });
  };

  /** Drops held answers; later requests are answered at once. */
  close(): void {
    this.closed = true;
    for (const [timer, res] of this.held) {
      clearTimeout(timer);
      res.destroy();
    }
    this.held.clear();
  }
}
