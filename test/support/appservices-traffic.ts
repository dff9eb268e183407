import { request } from 'node:http';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

/** One HTTP exchange from `localAddress` (a client inside the customer's VPC, or none) to host:port. */
export function httpVia(
  host: string,
  port: number,
  path: string,
  options: { method?: string; body?: unknown; localAddress?: string } = {},
): Promise<{ status: number; json: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      {
        host,
        port,
        path,
        method: options.method ?? 'GET',
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: { host: 'services.privlink.test', ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
        timeout: 5000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** A masked client frame (RFC 6455) with a short payload. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | masked.length]), mask, masked]);
}

/**
 * A Sync WebSocket session: upgrade on `path`, send a ping with `payload`, expect the pong, send a
 * close (1000), expect the close back and the end of the connection. Resolves with the upgrade's
 * status line and what came back; a refused upgrade resolves with its status line only.
 */
export function websocketPingPong(
  host: string,
  port: number,
  path: string,
  payload: string,
  localAddress?: string,
): Promise<{ statusLine: string; pong?: string; closeCode?: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('WebSocket session timed out'));
    }, 5000);
    let buffer = Buffer.alloc(0);
    let statusLine: string | undefined;
    let pong: string | undefined;
    let closeCode: number | undefined;
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: services.privlink.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (statusLine === undefined) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        statusLine = buffer.subarray(0, buffer.indexOf('\r\n')).toString();
        buffer = buffer.subarray(end + 4);
        if (!statusLine.includes(' 101 ')) return;
        socket.write(clientFrame(0x9, Buffer.from(payload)));
      }
      while (buffer.length >= 2) {
        const opcode = buffer[0]! & 0x0f;
        const length = buffer[1]! & 0x7f;
        if (buffer.length < 2 + length) return;
        const body = buffer.subarray(2, 2 + length);
        buffer = buffer.subarray(2 + length);
        if (opcode === 0xa) {
          pong = body.toString();
          const code = Buffer.alloc(2);
          code.writeUInt16BE(1000);
          socket.write(clientFrame(0x8, code));
        } else if (opcode === 0x8) closeCode = body.length >= 2 ? body.readUInt16BE(0) : undefined;
      }
    });
    socket.on('end', () => {
      clearTimeout(timer);
      socket.end();
      resolve({ statusLine: statusLine ?? '', ...(pong !== undefined ? { pong } : {}), ...(closeCode !== undefined ? { closeCode } : {}), ended: true });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
