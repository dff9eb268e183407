// Copying one socket's bytes to another: the forwarder's per-byte cost.
//
// A socket read the usual way gets a fresh 64 KiB buffer from Node for every read, which the
// garbage collector then frees: at several Gbit/s that is most of the forwarder's own CPU. A
// `SocketRelay` reads into buffers it owns instead, with one rule that keeps it sound: **a buffer
// handed to a write that has not completed is never read into again until that write completes.**
//
//   - A quiet socket reads into one buffer shared by every socket of this thread. Its bytes are
//     copied out at once (a small copy, as cheap as Node's own fresh buffer), so the shared buffer
//     is free again before any other socket reads.
//   - A read that fills the shared buffer means more is waiting: the socket gets a buffer of its
//     own (`OWN_BUFFER_BYTES`, a spare one if the thread has one) and its bytes are written
//     straight from it, no copy. When the kernel takes a write whole (the usual case), the same
//     buffer takes the next read; when it does not, the socket stops reading until that write
//     completes, so the bytes still queued are never overwritten. A read that does not fill it
//     emptied what the kernel held: the buffer goes to the thread's spares and the socket back to
//     the shared buffer, so an idle connection holds no buffer of its own.
//
// Node offers this for sockets it connects (`onread`); an accepted socket is switched to it with
// Node's own per-socket fields (`adoptAcceptedSocket`), found by name and checked first. Where
// they are missing (another Node), the relay falls back to `'data'` events: slower, never wrong.
//
// An idle connection's memory counts (a gateway holds thousands): a relay adds one object and
// one field on its source socket, and nothing else. Its `onread` functions and `'end'` listener
// are the same for every socket of the thread: they find the relay through the socket they are
// called on (Node calls the read callback and `'end'` listeners as methods of the socket, then,
// in the same turn, the buffer function, which takes the relay the callback just named).
import type { Socket } from 'node:net';

/** Size of the buffer shared by every quiet socket of this thread (Node's own read size). */
const SHARED_BUFFER_BYTES = 64 * 1024;
/** Size of a busy socket's own buffer. Larger reads mean fewer reads and writes per GiB. */
const OWN_BUFFER_BYTES = 256 * 1024;
/** Own buffers kept for the next burst of any socket of this thread, at most. */
const SPARE_BUFFERS = 8;

const shared = Buffer.allocUnsafeSlow(SHARED_BUFFER_BYTES);
/** Own buffers no socket reads into and no write holds. */
const spares: Buffer[] = [];
/** Bursts begun in this thread: reads that filled the shared buffer and gave their socket its own. */
let burstsBegun = 0;

/** How many times a socket of this thread has begun a burst (taken a buffer of its own) so far. */
export function relayBurstsBegun(): number {
  return burstsBegun;
}

/** How a relay reads its source: into its own buffers, or Node's fresh buffer per read. */
export type RelayReads = 'own-buffers' | 'data-events';

/** The field of a source socket that names the relay reading it. */
const RELAY = Symbol('privlink.socketRelay');
type RelaySource = Socket & { [RELAY]?: SocketRelay };

/** The relay whose read callback ran last, for the buffer function Node calls right after it (same turn). */
let lastRead: SocketRelay | undefined;

/** Node's `onread` for every relayed socket of this thread (see the file's head). */
const SHARED_ONREAD = {
  buffer: (): Buffer => {
    const relay = lastRead;
    lastRead = undefined;
    return relay?.readBuffer ?? shared;
  },
  callback(this: RelaySource, bytes: number, buffer: Uint8Array): boolean {
    const relay = this[RELAY]!;
    const more = relay.onRead(bytes, buffer as Buffer);
    lastRead = relay; // not before: a callback that threw must not leave its relay for another socket's buffer
    return more;
  },
};

/** The `'end'` listener of every source socket: its FIN goes on as the target's `end()`. */
function endTarget(this: RelaySource): void {
  this[RELAY]?.to.end();
}

/**
 * Copies a source socket's bytes to `to` with backpressure, and its FIN as `to.end()`.
 *
 * @example
 *   const toClient = new SocketRelay(client);
 *   const upstream = connect({ host, port, onread: toClient.onread }); // upstream → client
 *   toClient.attach(upstream);
 *   new SocketRelay(upstream).adoptAcceptedSocket(client);              // client → upstream
 */
export class SocketRelay {
  private from: Socket | undefined;
  /** The buffer of this relay's own during a burst; null when quiet (the source then reads into `shared`). */
  private own: Buffer | null = null;
  private waitingForWrite = false;

  /** `onread` options for `net.connect`, for a source socket not yet made; call `attach` with it before it reads. */
  get onread(): typeof SHARED_ONREAD {
    return SHARED_ONREAD;
  }

  constructor(readonly to: Socket) {}

  /** True while the source reads into a buffer of this relay's own (during a burst); false when quiet. */
  get holdsOwnBuffer(): boolean {
    return this.own !== null;
  }

  /** The buffer the source's next read goes into. */
  get readBuffer(): Buffer {
    return this.own ?? shared;
  }

  /** Starts relaying from a socket made with `onread` (above). */
  attach(from: Socket): void {
    this.from = from;
    (from as RelaySource)[RELAY] = this;
    from.on('end', endTarget);
  }

  /**
   * Starts relaying from a socket a server accepted, reading into this relay's buffers where this
   * Node allows it, else with `'data'` events. Bytes the socket already read are relayed first.
   * Call it before the socket has any other reader.
   */
  adoptAcceptedSocket(from: Socket): RelayReads {
    this.attach(from);
    if (!switchToOwnBuffers(from, this.onread)) {
      relayDataEvents(from, this.to);
      return 'data-events';
    }
    // Bytes read before the switch (the socket may have waited on an access check) go first.
    for (let chunk: Buffer | null; (chunk = from.read() as Buffer | null) !== null; ) this.to.write(chunk);
    return 'own-buffers';
  }

  // Made on first use: most connections never wait, and an idle connection's memory counts.
  private resumeFn: (() => void) | undefined;
  private writtenFn: (() => void) | undefined;

  private get resume(): () => void {
    return (this.resumeFn ??= () => this.from?.resume());
  }

  /** A write from the socket's own buffer completed: if reading stopped for it, start again. */
  private get written(): () => void {
    return (this.writtenFn ??= () => {
      if (!this.waitingForWrite) return;
      this.waitingForWrite = false;
      this.from?.resume();
    });
  }

  /**
   * One read of `bytes` into `buffer` (`SHARED_ONREAD`'s callback). Returns false to stop reading
   * (Node then pauses the socket); `resume` starts it again.
   * @internal
   */
  onRead(bytes: number, buffer: Buffer): boolean {
    if (buffer !== this.own) {
      // The shared buffer: copy out now, the next socket to read overwrites it.
      const chunk = Buffer.allocUnsafe(bytes);
      buffer.copy(chunk, 0, 0, bytes);
      if (bytes === buffer.length) {
        this.own = spares.pop() ?? Buffer.allocUnsafeSlow(OWN_BUFFER_BYTES);
        burstsBegun++;
      }
      if (this.to.write(chunk)) return true;
      this.to.once('drain', this.resume);
      return false;
    }
    this.to.write(buffer.subarray(0, bytes), this.written);
    if (this.to.writableLength > 0) {
      // The kernel did not take it all: the buffer belongs to that write until it completes, and
      // no read may touch it before then. Reading stops; `written` resumes it into the same buffer.
      this.waitingForWrite = true;
      return false;
    }
    if (bytes < buffer.length) {
      // The read emptied what the kernel held: the burst may be over. The buffer goes back to the
      // spares (the kernel has taken the write, nothing holds it), so an idle socket keeps none.
      if (spares.length < SPARE_BUFFERS) spares.push(buffer);
      this.own = null;
    }
    return true;
  }
}

/** The `'data'`-event relay: each read a fresh buffer from Node, written on as it comes. */
function relayDataEvents(from: Socket, to: Socket): void {
  const resume = (): void => {
    from.resume();
  };
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', resume);
    }
  });
}

type UserBufferFields = { kBuffer: symbol; kBufferCb: symbol; kBufferGen: symbol };
type UserBufferHandle = { useUserBuffer(buffer: Uint8Array): void };

/**
 * Gives an accepted socket what `net.connect`'s `onread` gives a connecting one: Node's socket
 * keeps the user buffer, its callback and its generator in three per-socket fields, and the
 * handle reads into the buffer once told with `useUserBuffer`. Returns false, changing nothing,
 * unless all four are there and the socket has no user buffer yet.
 */
function switchToOwnBuffers(socket: Socket, onread: typeof SHARED_ONREAD): boolean {
  const fields = userBufferFields(socket);
  const handle = (socket as unknown as { _handle?: Partial<UserBufferHandle> | null })._handle;
  if (!fields || typeof handle?.useUserBuffer !== 'function') return false;
  const slots = socket as unknown as Record<symbol, unknown>;
  if (slots[fields.kBuffer]) return false;
  const first = onread.buffer();
  slots[fields.kBuffer] = first;
  slots[fields.kBufferCb] = onread.callback;
  slots[fields.kBufferGen] = onread.buffer;
  handle.useUserBuffer(first);
  return true;
}

/** Node's field symbols are the same for every socket: looked up once per thread (null: not there). */
let fieldsOfThisNode: UserBufferFields | null | undefined;

function userBufferFields(socket: Socket): UserBufferFields | undefined {
  if (fieldsOfThisNode === undefined) {
    const byName = new Map(Object.getOwnPropertySymbols(socket).map((symbol) => [symbol.description, symbol]));
    const kBuffer = byName.get('kBuffer');
    const kBufferCb = byName.get('kBufferCb');
    const kBufferGen = byName.get('kBufferGen');
    fieldsOfThisNode = kBuffer && kBufferCb && kBufferGen ? { kBuffer, kBufferCb, kBufferGen } : null;
  }
  if (!fieldsOfThisNode || !Object.prototype.hasOwnProperty.call(socket, fieldsOfThisNode.kBuffer)) return undefined;
  return fieldsOfThisNode;
}
