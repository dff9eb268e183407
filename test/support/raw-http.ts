import { request } from 'node:http';
import { connect } from 'node:net';

/** A response read off the wire: status, lower-cased headers and body text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

/**
 * Writes `bytes` to a fresh TCP connection to `baseUrl` and reads until the server closes it:
 * for requests Node's HTTP parser refuses before any handler runs (oversized or malformed).
 * `halfClose`: the client closes its sending side right after the bytes, and reads on.
 */
export function rawExchange(baseUrl: string, bytes: string, options: { halfClose?: boolean } = {}): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') });
    });
    if (options.halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

/** One plain (unauthenticated) HTTP request with exactly the given headers and body. */
export function plainRequest(baseUrl: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + path, { method, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
        resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Parses an Atlas envelope; throws (showing the text) when the body is not one. */
export function envelopeOf(text: string): { detail: string; error: number; errorCode: string; parameters: unknown[]; reason: string } {
  const body = JSON.parse(text) as Record<string, unknown>;
  for (const key of ['detail', 'error', 'errorCode', 'parameters', 'reason']) {
    if (!(key in body)) throw new Error(`not an Atlas envelope (no ${key}): ${text.slice(0, 300)}`);
  }
  return body as never;
}
