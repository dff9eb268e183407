import { maxHeaderSize, STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { finished } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { SendApiError } from './error-handler.js';

/** Longest path parameter the router accepts (longer → 414 REQUEST_URI_TOO_LONG). */
export const MAX_PARAM_LENGTH = 1000;

/**
 * Fastify's `frameworkErrors`: errors raised before a route runs (a path that is not valid
 * percent-encoding, a path parameter longer than `MAX_PARAM_LENGTH`), answered with the catalogue.
 */
export function frameworkErrors(send: SendApiError, fallback: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.code === 'FST_ERR_BAD_URL') return send(reply, new ApiError('PATH_PARAM_PARSE_ERROR', [request.url.split('?')[0]]));
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return send(reply, new ApiError('REQUEST_URI_TOO_LONG', [MAX_PARAM_LENGTH]));
    return fallback(error, request, reply);
  };
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the request (headers or URL above
 * `http.maxHeaderSize` → 431, a timeout → 408, anything malformed → 400) before any request
 * object exists, so the answer is written to the socket as a raw HTTP response carrying
 * `errorBody(error)` (the default flavour's error shape, as no path is known), and the connection
 * is closed (closeLingering). When the bytes that cannot be read follow a request whose answer is still being
 * written (a GET sent with a body but no length: the body reads as the next request), nothing is
 * written into the middle of that answer: it is completed, then the connection closes.
 * `track(app)` tells the handler which answer each connection is writing.
 */
export function clientErrorHandler(errorBody: (error: ApiError) => unknown): {
  handler: (error: NodeJS.ErrnoException, socket: Socket) => void;
  track: (app: FastifyInstance) => void;
} {
  const answering = new WeakMap<Socket, ServerResponse>();
  return {
    handler(error, socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const inFlight = answering.get(socket);
      if (inFlight && !inFlight.writableFinished) {
        // Its last answer: told so while it can be, so the client does not send another request on it.
        if (!inFlight.headersSent) inFlight.setHeader('connection', 'close');
        finished(inFlight, () => closeLingering(socket));
        return;
      }
      const apiError =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? new ApiError('REQUEST_HEADERS_TOO_LARGE', [maxHeaderSize])
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? new ApiError('REQUEST_TIMEOUT')
            : new ApiError('MALFORMED_REQUEST');
      if (socket.writable) socket.write(rawHttpResponse(apiError, errorBody(apiError)));
      closeLingering(socket);
    },
    track(app) {
      app.addHook('onRequest', (request, reply, done) => {
        answering.set(request.raw.socket, reply.raw);
        done();
      });
    },
  };
}

/** How long a refused connection is read (and what it sends dropped) after its last answer, at most. */
const LINGER_MS = 2000;

/**
 * Closes a connection the parser gave up on the way a web server does after answering it: our
 * side is ended at once (the client sees the answer and the end), and what the client is still
 * sending is read and dropped for up to LINGER_MS, so its writes are not cut off by a reset
 * (a reset can make a client lose the answer it was sent).
 */
function closeLingering(socket: Socket): void {
  socket.on('error', () => undefined);
  socket.resume(); // flowing with no reader: what arrives is dropped
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** A complete HTTP/1.1 response (status line, headers, `payload` as JSON) for `error`, closing the connection. */
function rawHttpResponse(error: ApiError, payload: unknown): string {
  const body = JSON.stringify(payload);
  return (
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `X-Error-Code: ${error.errorCode}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}
