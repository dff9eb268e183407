// One DNS-over-TCP connection (RFC 1035 §4.2.2, RFC 7766): length-prefixed messages, pipelined,
// answered as they complete. It holds a bounded amount of memory whatever the client does: it
// stops reading while too many queries are being answered or while the client leaves too many
// reply bytes unread, and closes the connection when nothing moves for the idle timeout.
import type { Socket } from 'node:net';

export interface DnsTcpLimits {
  /**
   * Close the connection after this long without a byte read or written (RFC 7766 §6.2.3), and
   * when a query whose first bytes arrived is not complete this long after (a trickle).
   */
  idleTimeoutMs: number;
  /** Queries being answered at once; past it, reading stops until one is answered. */
  maxQueriesInFlight: number;
  /** Reply bytes the client has not read yet; past it, reading stops until they drain. */
  maxUnreadReplyBytes: number;
}

/** Counters shared by every connection of one server (for stats and tests). */
export interface DnsTcpCounters {
  /** Times a connection stopped reading because of the limits above. */
  readsPaused: number;
  /** Connections closed by the idle timeout (or a query trickling past it). */
  idleClosed: number;
}

/**
 * Answers one query: resolves with the reply message (without its length prefix), or undefined
 * to send nothing. A rejection closes the connection (the message was not a query at all).
 */
export type DnsTcpHandler = (message: Buffer) => Promise<Buffer | undefined>;

/** The largest message a 2-byte length prefix can carry. */
export const MAX_TCP_MESSAGE = 0xffff;

/**
 * Drives `socket` until it closes. The socket should come from a server with
 * `allowHalfOpen: true`: a client that half-closes after its queries still gets every answer,
 * then the server ends its side.
 */
export function serveDnsTcpConnection(socket: Socket, limits: DnsTcpLimits, counters: DnsTcpCounters, handle: DnsTcpHandler): void {
  const chunks: Buffer[] = [];
  let buffered = 0;
  let inFlight = 0;
  let peerEnded = false;
  let paused = false;
  let incompleteTimer: NodeJS.Timeout | undefined;

  /** Removes and returns the first `length` buffered bytes (one copy at most). */
  const take = (length: number): Buffer => {
    buffered -= length;
    const first = chunks[0];
    if (first && first.length >= length) {
      const head = first.subarray(0, length);
      if (first.length === length) chunks.shift();
      else chunks[0] = first.subarray(length);
      return head;
    }
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = chunks[0];
      if (!chunk) throw new Error(`DNS over TCP: ${length} bytes taken with only ${filled} buffered`);
      const used = Math.min(chunk.length, length - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) chunks.shift();
      else chunks[0] = chunk.subarray(used);
    }
    return out;
  };
  /** The next message's length prefix; only called with at least 2 bytes buffered. */
  const peekLength = (): number => {
    const [first, second] = chunks;
    if (first && first.length >= 2) return first.readUInt16BE(0);
    if (!first || !second) throw new Error('DNS over TCP: length prefix peeked with fewer than 2 bytes buffered');
    return (first.readUInt8(0) << 8) | second.readUInt8(0);
  };

  const mayDispatch = (): boolean => inFlight < limits.maxQueriesInFlight && socket.writableLength < limits.maxUnreadReplyBytes;

  const pump = (): void => {
    if (socket.destroyed) return;
    let progressed = false;
    while (buffered >= 2 && mayDispatch()) {
      const length = peekLength();
      if (buffered < 2 + length) break;
      take(2);
      dispatch(take(length));
      progressed = true;
    }
    const complete = buffered >= 2 && buffered >= 2 + peekLength();
    if (progressed && incompleteTimer) {
      clearTimeout(incompleteTimer);
      incompleteTimer = undefined;
    }
    if (buffered > 0 && !complete) {
      // A query has started: it must complete within the timeout, however slowly it trickles.
      incompleteTimer ??= setTimeout(() => {
        counters.idleClosed++;
        socket.destroy();
      }, limits.idleTimeoutMs);
    } else if (incompleteTimer) {
      clearTimeout(incompleteTimer);
      incompleteTimer = undefined;
    }
    if (complete && !mayDispatch()) {
      // A whole query is waiting and the limits say no: stop reading, so the kernel's window,
      // not this process, holds what the client keeps sending.
      if (!paused) {
        paused = true;
        counters.readsPaused++;
        socket.pause();
      }
    } else if (paused) {
      paused = false;
      socket.resume();
    }
    if (peerEnded && inFlight === 0 && !complete) {
      if (buffered > 0) socket.destroy();
      else socket.end();
    }
  };

  const dispatch = (message: Buffer): void => {
    inFlight++;
    handle(message).then(
      (reply) => {
        inFlight--;
        if (reply && !socket.destroyed && socket.writable) {
          const framed = Buffer.allocUnsafe(2 + reply.length);
          framed.writeUInt16BE(reply.length, 0);
          reply.copy(framed, 2);
          socket.write(framed);
        }
        pump();
      },
      () => {
        inFlight--;
        socket.destroy();
      },
    );
  };

  socket.setTimeout(limits.idleTimeoutMs);
  socket.on('timeout', () => {
    counters.idleClosed++;
    socket.destroy();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => clearTimeout(incompleteTimer));
  socket.on('drain', pump);
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    buffered += chunk.length;
    pump();
  });
  socket.on('end', () => {
    peerEnded = true;
    pump();
  });
}
