// The wire-protocol conversation of one client connection with a simulated node: framing,
// in-order answers, and the awaitable/streaming hello that driver monitors rely on.
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { decodeRequest, encodeOpMsg, encodeOpReply, MessageFramer, MSG_EXHAUST_ALLOWED, MSG_MORE_TO_COME, OP_QUERY, type WireRequest } from './mongo-wire.js';
import { commandName, commandReply, helloReply, isHelloCommand, unsupportedOpQueryReply, type ConnectionFacts, type NodeIdentity } from './simulated-commands.js';

/**
 * The wire-protocol conversation on one connection. Requests are answered in order. An awaitable
 * hello (with `topologyVersion` and `maxAwaitTimeMS`) is answered after `maxAwaitTimeMS`, as a
 * server whose topology does not change would; with `exhaustAllowed` it keeps answering every
 * `maxAwaitTimeMS` with `moreToCome` set (the driver treats a streaming reply without it as an
 * error and resets the server), until the client sends something else or hangs up.
 */
export class WireSession {
  private readonly framer = new MessageFramer();
  private readonly queue: WireRequest[] = [];
  private waiting: { timer: NodeJS.Timeout; exhaust: boolean } | undefined;
  private disposed = false;
  private static nextReplyId = 1;

  /**
   * @param facts read on every reply (the horizon may change while the connection lives)
   * @param onMalformed called once when a message cannot be decoded; the session then closes the socket
   */
  constructor(
    private readonly socket: Socket,
    private readonly identity: NodeIdentity,
    private readonly facts: () => ConnectionFacts,
    private readonly onMalformed: (error: Error) => void,
  ) {}

  receive(chunk: Buffer): void {
    if (this.disposed) return;
    try {
      for (const message of this.framer.push(chunk)) this.queue.push(decodeRequest(message));
    } catch (error) {
      this.onMalformed(error as Error);
      this.dispose();
      this.socket.destroy();
      return;
    }
    if (this.waiting?.exhaust && this.queue.length > 0) this.stopWaiting();
    this.drain();
  }

  dispose(): void {
    this.disposed = true;
    this.stopWaiting();
    this.queue.length = 0;
  }

  private stopWaiting(): void {
    if (this.waiting) clearTimeout(this.waiting.timer);
    this.waiting = undefined;
  }

  private drain(): void {
    while (!this.disposed && !this.waiting && this.queue.length > 0) this.handle(this.queue.shift() as WireRequest);
  }

  private handle(request: WireRequest): void {
    const name = commandName(request.command);
    if (request.opCode === OP_QUERY) {
      const reply = isHelloCommand(name) ? helloReply(this.identity, this.facts(), request.command) : unsupportedOpQueryReply(name);
      this.send(encodeOpReply(WireSession.nextReplyId++, request.header.requestId, reply));
      return;
    }
    const clientExpectsNoReply = (request.flagBits & MSG_MORE_TO_COME) !== 0;
    if (isHelloCommand(name)) {
      const awaitMs = this.awaitTimeMs(request.command);
      if (awaitMs !== undefined && !clientExpectsNoReply) {
        const exhaust = (request.flagBits & MSG_EXHAUST_ALLOWED) !== 0;
        this.awaitThenReply(request.command, request.header.requestId, awaitMs, exhaust);
        return;
      }
    }
    const reply = isHelloCommand(name)
      ? helloReply(this.identity, this.facts(), request.command)
      : commandReply(this.identity, this.facts(), request.command);
    if (!clientExpectsNoReply) this.send(encodeOpMsg(WireSession.nextReplyId++, request.header.requestId, reply));
  }

  /** How long an awaitable hello waits: maxAwaitTimeMS when the client's topologyVersion is ours, 0 when it is stale. */
  private awaitTimeMs(command: Document): number | undefined {
    const topologyVersion = command.topologyVersion as Document | undefined;
    if (!topologyVersion || command.maxAwaitTimeMS === undefined) return undefined;
    const maxAwait = Math.max(0, Math.min(toNumber(command.maxAwaitTimeMS), 600_000));
    const sameProcess = String(topologyVersion.processId) === this.identity.processId.toHexString();
    const clientCounter = toNumber(topologyVersion.counter);
    return sameProcess && clientCounter >= 0 ? maxAwait : 0;
  }

  private awaitThenReply(command: Document, responseTo: number, delayMs: number, exhaust: boolean): void {
    const timer = setTimeout(() => {
      this.waiting = undefined;
      if (this.disposed) return;
      const replyId = WireSession.nextReplyId++;
      const reply = helloReply(this.identity, this.facts(), command);
      this.send(encodeOpMsg(replyId, responseTo, reply, exhaust ? MSG_MORE_TO_COME : 0));
      if (exhaust) {
        // Next streamed reply answers this one, as mongod chains exhaust replies.
        const maxAwait = toNumber(command.maxAwaitTimeMS);
        this.awaitThenReply(command, replyId, Math.max(0, Math.min(maxAwait, 600_000)), true);
      } else {
        this.drain();
      }
    }, delayMs);
    this.waiting = { timer, exhaust };
  }

  private send(bytes: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') return (value as { toNumber(): number }).toNumber();
  return Number(value);
}
