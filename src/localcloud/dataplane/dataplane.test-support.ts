// Helpers shared by the data-plane tests (not a test file itself): servers on OS-chosen ports,
// reading exact byte counts, a lookup function that maps test hostnames, cleanup lists.
import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Runs registered cleanups in reverse order; use one per test with `t.after(() => cleanup.run())`. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.reverse()) {
      try {
        await step();
      } catch {
        // best effort: one failing cleanup must not hide the others
      }
    }
    this.steps.length = 0;
  }
}

/** A TCP server on 127.0.0.1:0 that tracks its sockets; `close` destroys them. */
export async function listen(
  onConnection: (socket: Socket) => void,
  cleanup: Cleanup,
  options: { allowHalfOpen?: boolean; host?: string } = {},
): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  server.listen(0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  cleanup.add(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

/** An echo server. */
export function listenEcho(cleanup: Cleanup): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  return listen((socket) => socket.pipe(socket), cleanup);
}

/** Connects to 127.0.0.1:port and waits until connected; the socket is destroyed on cleanup. */
export async function dial(port: number, cleanup: Cleanup, options: { allowHalfOpen?: boolean; host?: string } = {}): Promise<Socket> {
  const socket = connect({ host: options.host ?? '127.0.0.1', port, allowHalfOpen: options.allowHalfOpen ?? false });
  cleanup.add(() => socket.destroy());
  await once(socket, 'connect');
  return socket;
}

/** Resolves with exactly `length` bytes read from `socket` (rejects if it ends first or after `timeoutMs`). */
export function readBytes(socket: Socket, length: number, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const done = (error?: Error): void => {
      clearTimeout(timer);
      socket.pause(); // keep what we do not consume for the next reader
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      if (error) reject(error);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= length) {
        const all = Buffer.concat(chunks);
        done();
        if (all.length > length) socket.unshift(all.subarray(length));
        resolve(all.subarray(0, length));
      }
    };
    const onEnd = (): void => done(new Error(`stream ended after ${have} of ${length} bytes`));
    const timer = setTimeout(() => done(new Error(`timed out after ${have} of ${length} bytes`)), timeoutMs);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.resume();
  });
}

/** Reads until the peer ends the stream. */
export async function readToEnd(socket: Socket, timeoutMs = 5000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.resume();
  await withTimeout(once(socket, 'end'), timeoutMs, 'waiting for end of stream');
  return Buffer.concat(chunks);
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls/the mongodb driver that maps some hostnames to fixed IPv4 addresses
 * (or asks `resolve` for them) and sends every other name to the system resolver.
 */
export function mappedLookup(map: Record<string, string> | ((hostname: string) => Promise<string | undefined>)) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    const all = typeof options === 'object' && options !== null && options.all === true;
    const answer = (address: string | undefined): void => {
      if (address === undefined) {
        systemLookup(hostname, { all: true }, (error, addresses) => {
          if (error) return callback(error, all ? [] : '');
          if (all) return callback(null, addresses);
          return callback(null, addresses[0]!.address, addresses[0]!.family);
        });
        return;
      }
      if (all) callback(null, [{ address, family: 4 }]);
      else callback(null, address, 4);
    };
    if (typeof map === 'function') {
      map(hostname.toLowerCase()).then(answer, (error: NodeJS.ErrnoException) => callback(error, all ? [] : ''));
    } else {
      answer(map[hostname.toLowerCase()]);
    }
  };
}

/** A small deterministic generator (a linear congruential one), so a randomised test replays. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}
