import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../logging/logger.js';
import { NO_BUDGET, OpenFileBudgetSpent, type OpenFileBudget } from '../dataplane/open-file-budget.js';
import { awsVpceIdOf, readProxyHeader } from '../dataplane/proxy-protocol.js';

/** The front end's answer to "may this request reach this app?" (domain/appservices-traffic.ts, asked of the main thread). */
export type FrontEndAccess =
  | { readonly serve: true; readonly deploymentModel: string; readonly location: string; readonly providerRegion: string; readonly viaEndpoint: boolean }
  | { readonly serve: false; readonly status: 403 | 404; readonly reason: string };

/** How a request arrived: the `vpce-…` of its PROXY v2 header (private side only) and the client's address. */
export interface FrontEndVia {
  readonly endpointId?: string | undefined;
  readonly clientAddress?: string | undefined;
}

export interface AppServicesFrontEndOptions {
  /** Asks whether `clientAppId` is served for a request arriving `via` on `channel`. */
  readonly access: (clientAppId: string, via: FrontEndVia, channel: 'general' | 'sync') => Promise<FrontEndAccess>;
  readonly log: Logger;
  /** The public side's port when free (the one an earlier front end of this process had), else any. */
  readonly publicPort?: number;
  /** The data plane's open-file budget: each listener and connection holds one file; a connection that does not fit is reset. Default: none. */
  readonly budget?: OpenFileBudget;
}

export interface RunningAppServicesFrontEnd {
  /** Behind the endpoint services' load balancers: every connection starts with a PROXY v2 header naming its `vpce-…`. */
  readonly private: { readonly host: string; readonly port: number };
  /** The public side (`services.<domain>`): no PROXY header, no endpoint. */
  readonly public: { readonly host: string; readonly port: number };
  stop(): Promise<void>;
}

const CLIENT_PATH = /^\/api\/client\/v2\.0\/app\/([A-Za-z0-9_-]{1,128})\/(location|functions\/call|realm-sync|endpoint\/.*)$/;
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_BODY = 64 * 1024;

/** The `vpce-…` and client address the PROXY v2 header of a private-side connection named. */
const proxied = new WeakMap<Socket, FrontEndVia>();

/** How a connection arrived: its PROXY v2 header's endpoint and client (private side), or its peer (public side). */
function viaOf(socket: Socket): FrontEndVia {
  const header = proxied.get(socket);
  if (header) return { ...header, clientAddress: header.clientAddress ?? socket.remoteAddress };
  return { clientAddress: socket.remoteAddress };
}

/**
 * A simulated App Services front end (it runs no app code): client HTTP (`location`, and
 * `functions/call` running a built-in `echo`) and Sync (a WebSocket upgrade on `realm-sync` that
 * answers ping frames and closes cleanly). Which private endpoint a connection came through is the
 * AWS VPC-endpoint TLV of the PROXY v2 header the load balancer sends; the decision to serve is the
 * store's. Custom HTTPS endpoints and the Data API are not served through private endpoints (404),
 * as App Services documents.
 */
export async function startAppServicesFrontEnd(options: AppServicesFrontEndOptions): Promise<RunningAppServicesFrontEnd> {
  const http = createHttpServer({ requestTimeout: 10_000, headersTimeout: 10_000 });
  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response).catch((error: Error) => {
      options.log.warn('App Services front end request failed', { error: error.message });
      if (!response.headersSent) send(response, 500, { error: 'internal server error', error_code: 'InternalServerError' });
      else response.destroy();
    });
  });
  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    void upgrade(request, socket, head).catch(() => socket.destroy());
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = CLIENT_PATH.exec((request.url ?? '').split('?')[0]!);
    if (!match) return send(response, 404, { error: 'not found', error_code: 'NotFound' });
    const [, clientAppId, route] = match as unknown as [string, string, string];
    const via = viaOf(request.socket);
    if (route.startsWith('endpoint/')) {
      const reason = via.endpointId ? 'custom HTTPS endpoints and the Data API are not supported through private endpoints' : 'endpoint not found';
      return send(response, 404, { error: reason, error_code: 'NotFound' });
    }
    if (route === 'realm-sync') return send(response, 400, { error: 'expected a WebSocket upgrade', error_code: 'BadRequest' });
    const access = await options.access(clientAppId, via, 'general');
    if (!access.serve) return send(response, access.status, refusalBody(access));
    if (route === 'location' && request.method === 'GET') {
      const host = request.headers.host ?? 'services';
      return send(response, 200, {
        deployment_model: access.deploymentModel,
        location: access.location,
        hostname: `http://${host}`,
        ws_hostname: `ws://${host}`,
      });
    }
    if (route === 'functions/call' && request.method === 'POST') {
      const body = await readBody(request);
      let call: { name?: unknown; arguments?: unknown };
      try {
        call = JSON.parse(body) as { name?: unknown; arguments?: unknown };
      } catch {
        return send(response, 400, { error: 'invalid JSON', error_code: 'BadRequest' });
      }
      if (call.name !== 'echo') return send(response, 404, { error: `function not found: '${String(call.name)}'`, error_code: 'FunctionNotFound' });
      const args = Array.isArray(call.arguments) ? call.arguments : [];
      return send(response, 200, args.length === 1 ? args[0] : args);
    }
    return send(response, 405, { error: 'method not allowed', error_code: 'MethodNotAllowed' });
  }

  async function upgrade(request: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const match = CLIENT_PATH.exec((request.url ?? '').split('?')[0]!);
    const key = request.headers['sec-websocket-key'];
    if (!match || match[2] !== 'realm-sync' || typeof key !== 'string' || (request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const access = await options.access(match[1]!, viaOf(socket), 'sync');
    if (!access.serve) {
      const body = JSON.stringify(refusalBody(access));
      socket.end(
        `HTTP/1.1 ${access.status === 403 ? '403 Forbidden' : '404 Not Found'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const accept = createHash('sha1')
      .update(key + WEBSOCKET_GUID)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    serveFrames(socket, head);
  }

  const budget = options.budget ?? NO_BUDGET;
  const privateServer = createNetServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (!budget.admit(socket)) return;
    readProxyHeader(socket).then(
      ({ header, rest }) => {
        const vpce = awsVpceIdOf(header);
        const clientAddress = header.command === 'PROXY' ? header.source?.address : undefined;
        proxied.set(socket, { ...(vpce ? { endpointId: vpce } : {}), ...(clientAddress ? { clientAddress } : {}) });
        if (rest.length > 0) socket.unshift(rest);
        http.emit('connection', socket);
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  const publicServer = createNetServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (budget.admit(socket)) http.emit('connection', socket);
  });
  if (!budget.take(2)) throw new OpenFileBudgetSpent(budget.limit);
  let privateAddress: { host: string; port: number };
  let publicAddress: { host: string; port: number };
  try {
    privateAddress = await listen(privateServer);
    publicAddress = await listen(publicServer, options.publicPort).catch(() => listen(publicServer));
  } catch (error) {
    await Promise.all([close(privateServer), close(publicServer)]);
    budget.give(2);
    throw error;
  }
  options.log.info('simulated App Services front end running (it runs no app code)', { private: privateAddress, public: publicAddress });
  return {
    private: privateAddress,
    public: publicAddress,
    async stop() {
      const closed = Promise.all([close(privateServer), close(publicServer)]);
      budget.give(2);
      http.closeAllConnections();
      await closed;
    },
  };
}

/** A refusal in App Services' error shape: 404 `NotFound`, or 403 `Forbidden` for the IP access list. */
function refusalBody(access: { status: 403 | 404; reason: string }): { error: string; error_code: string } {
  return { error: access.reason, error_code: access.status === 403 ? 'Forbidden' : 'NotFound' };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * The Sync side of a WebSocket (RFC 6455), enough for a client to check the connection: a ping
 * is answered by a pong with its payload, a close by a close (then the socket ends); text and
 * binary frames are read and ignored. Client frames must be masked; oversized or malformed frames
 * close the connection.
 */
function serveFrames(socket: Socket, head: Buffer): void {
  let buffer = head;
  const onData = (chunk: Buffer): void => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      const masked = (buffer[1]! & 0x80) !== 0;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127 || !masked) {
        socket.destroy();
        return;
      }
      if (length > MAX_BODY) return void socket.destroy();
      if (buffer.length < offset + 4 + length) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buffer = buffer.subarray(offset + 4 + length);
      if (opcode === 0x9) socket.write(frame(0xa, payload));
      else if (opcode === 0x8) {
        socket.off('data', onData);
        socket.end(frame(0x8, payload.subarray(0, 2)));
        return;
      }
    }
  };
  socket.on('data', onData);
  if (head.length > 0) onData(Buffer.alloc(0));
}

/** An unmasked server frame (FIN set) with a payload shorter than 126 bytes. */
function frame(opcode: number, payload: Buffer): Buffer {
  const body = payload.subarray(0, 125);
  return Buffer.concat([Buffer.from([0x80 | opcode, body.length]), body]);
}

function listen(server: Server, port = 0): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ host: '127.0.0.1', port: address.port });
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
