// The wire-protocol conversation of one client connection with a simulated node: framing,
// in-order answers, and the awaitable/streaming hello that driver monitors rely on. What one
// connection can make the node hold is bounded: messages up to mongod's size limit, a started
// message must complete within a timeout, and reading stops while replies pile up unread.
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import {
  decodeRequest,
  encodeOpMsg,
  encodeOpReply,
  MAX_MESSAGE_SIZE,
  MessageFramer,
  MSG_EXHAUST_ALLOWED,
  MSG_MORE_TO_COME,
  OP_QUERY,
  WireProtocolError,
  type WireRequest,
} from './mongo-wire.js';
import { allowedWithoutAuthentication, authenticationRequiredReply, authInfo, rolesRefusal } from './simulated-access.js';
import { ConnectionAuth } from './simulated-auth.js';
import { commandName, commandReply, helloReply, isHelloCommand, unsupportedOpQueryReply, type ConnectionFacts, type NodeIdentity } from './simulated-commands.js';

export interface WireSessionLimits {
  /** A message whose first bytes have arrived must be complete within this long, or the connection is closed. Default 30000. */
  incompleteMessageTimeoutMs?: number;
  /** Largest message accepted; a header claiming more closes the connection. Default 48,000,000 (mongod's maxMessageSizeBytes). */
  maxMessageSize?: number;
  /**
   * The connection's authentication (a node with users): unauthenticated connections may only
   * handshake, ping and authenticate; a user's roles decide which data commands get past
   * authorization. Without it the node runs without access control, like mongod without `--auth`.
   */
  auth?: ConnectionAuth;
}

/** Reading stops while this many reply bytes wait for the client to read them… */
const MAX_UNREAD_REPLY_BYTES = 1024 * 1024;
/** …or while this many decoded requests, or this many bytes of them, wait for their turn (e.g. behind an awaitable hello). */
const MAX_QUEUED_REQUESTS = 256;
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * The wire-protocol conversation on one connection. Requests are answered in order. An awaitable
 * hello (with `topologyVersion` and `maxAwaitTimeMS`) is answered after `maxAwaitTimeMS`, or at
 * once when the node's topology changes (`topologyChanged`); with `exhaustAllowed` it keeps answering every
 * `maxAwaitTimeMS` with `moreToCome` set (the driver treats a streaming reply without it as an
 * error and resets the server), until the client sends something else or hangs up.
 */
export class WireSession {
  private readonly framer: MessageFramer;
  private readonly queue: WireRequest[] = [];
  private queuedBytes = 0;
  private waiting: { timer: NodeJS.Timeout; exhaust: boolean; fire: () => void } | undefined;
  private incompleteTimer: NodeJS.Timeout | undefined;
  private readonly incompleteMessageTimeoutMs: number;
  private readingPaused = false;
  /** A reply is being computed asynchronously (a user lookup); later requests wait, in order. */
  private busy = false;
  private disposed = false;
  private static nextReplyId = 1;

  /**
   * @param facts read on every reply (the horizon may change while the connection lives)
   * @param onMalformed called once when a message cannot be decoded, claims an impossible length,
   *   or does not complete in time; the session then closes the socket
   */
  constructor(
    private readonly socket: Socket,
    private readonly identity: NodeIdentity,
    private readonly facts: () => ConnectionFacts,
    private readonly onMalformed: (error: Error) => void,
    private readonly limits: WireSessionLimits = {},
  ) {
    this.framer = new MessageFramer(limits.maxMessageSize ?? MAX_MESSAGE_SIZE);
    this.incompleteMessageTimeoutMs = limits.incompleteMessageTimeoutMs ?? 30_000;
    socket.on('drain', () => this.drain());
  }

  /** Feeds bytes read from the socket (the caller's 'data' handler). */
  receive(chunk: Buffer): void {
    if (this.disposed) return;
    try {
      const messages = this.framer.push(chunk);
      for (const message of messages) {
        this.queue.push(decodeRequest(message));
        this.queuedBytes += message.length;
      }
      if (messages.length > 0) this.clearIncompleteTimer();
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (this.framer.buffered > 0 && !this.incompleteTimer) {
      // A message has started: it gets a bounded time to complete (a trickle cannot hold the node forever).
      const timeoutMs = this.incompleteMessageTimeoutMs;
      this.incompleteTimer = setTimeout(() => this.fail(new WireProtocolError(`message incomplete after ${timeoutMs} ms (${this.framer.buffered} bytes received)`)), timeoutMs);
    }
    if (this.waiting?.exhaust && this.queue.length > 0) this.stopWaiting();
    this.drain();
  }

  dispose(): void {
    this.disposed = true;
    this.stopWaiting();
    this.clearIncompleteTimer();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private fail(error: Error): void {
    if (this.disposed) return;
    this.onMalformed(error);
    this.dispose();
    this.socket.destroy();
  }

  private clearIncompleteTimer(): void {
    if (this.incompleteTimer) clearTimeout(this.incompleteTimer);
    this.incompleteTimer = undefined;
  }

  private stopWaiting(): void {
    if (this.waiting) clearTimeout(this.waiting.timer);
    this.waiting = undefined;
  }

  private drain(): void {
    while (!this.disposed && !this.waiting && !this.busy && this.queue.length > 0 && this.socket.writableLength < MAX_UNREAD_REPLY_BYTES) {
      const request = this.queue.shift() as WireRequest;
      this.queuedBytes -= request.header.messageLength;
      this.handle(request);
    }
    if (this.disposed) return;
    // Back-pressure: a client that does not read its replies (or floods behind an awaitable
    // hello) is left to the kernel's TCP window instead of this process's memory.
    const full = this.queue.length >= MAX_QUEUED_REQUESTS || this.queuedBytes >= MAX_QUEUED_BYTES || this.socket.writableLength >= MAX_UNREAD_REPLY_BYTES;
    if (full && !this.readingPaused) {
      this.readingPaused = true;
      this.socket.pause();
    } else if (!full && this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }

  private handle(request: WireRequest): void {
    const name = commandName(request.command);
    if (request.opCode === OP_QUERY) {
      const reply = isHelloCommand(name) ? this.hello(request.command) : unsupportedOpQueryReply(name);
      this.answer(reply, (document) => encodeOpReply(WireSession.nextReplyId++, request.header.requestId, document));
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
    const reply = isHelloCommand(name) ? this.hello(request.command) : this.command(request.command, request.namespace);
    this.answer(reply, (document) => encodeOpMsg(WireSession.nextReplyId++, request.header.requestId, document), clientExpectsNoReply);
  }

  /** Sends a reply now, or once it is computed (reading the next request waits, so answers stay in order). */
  private answer(reply: Document | Promise<Document>, encode: (reply: Document) => Buffer, noReply = false): void {
    if (!(reply instanceof Promise)) {
      if (!noReply) this.send(encode(reply));
      return;
    }
    this.busy = true;
    void reply
      .catch((error: Error) => ({ ok: 0, errmsg: `simulated node error: ${error.message}`, code: 1, codeName: 'InternalError' }))
      .then((document) => {
        this.busy = false;
        if (this.disposed) return;
        if (!noReply) this.send(encode(document));
        this.drain();
      });
  }

  /** The hello reply, with authentication's additions when the request asks for them. */
  private hello(command: Document): Document | Promise<Document> {
    const reply = helloReply(this.identity, this.facts(), command);
    const auth = this.limits.auth;
    if (!auth || !ConnectionAuth.wantsAdditions(command)) return reply;
    return auth.helloAdditions(command).then((additions) => {
      const { ok, ...rest } = reply;
      return { ...rest, ...additions, ok };
    });
  }

  /** Any command but hello: authentication, then authorization, then the node's answer. */
  private command(command: Document, namespace: string): Document | Promise<Document> {
    const auth = this.limits.auth;
    if (!auth) return commandReply(this.identity, this.facts(), command);
    const name = commandName(command);
    const db = namespace.split('.')[0] ?? '';
    switch (name) {
      case 'saslStart':
        return auth.saslStart(command, db);
      case 'saslContinue':
        return auth.saslContinue(command);
      case 'logout':
        return auth.logout();
      case 'authenticate':
        return { ok: 0, errmsg: `Received authentication for mechanism ${String(command.mechanism)} which is not enabled`, code: 334, codeName: 'MechanismUnavailable' };
      case 'connectionStatus':
        return { authInfo: authInfo(auth.user), ok: 1 };
    }
    const user = auth.user;
    if (!user) return allowedWithoutAuthentication(name) ? commandReply(this.identity, this.facts(), command) : authenticationRequiredReply(name);
    return rolesRefusal(user, command, db) ?? commandReply(this.identity, this.facts(), command);
  }

  /** How long an awaitable hello waits: maxAwaitTimeMS when the client's topologyVersion is ours, 0 when it is stale (another process, or an older counter). */
  private awaitTimeMs(command: Document): number | undefined {
    const topologyVersion = command.topologyVersion as Document | undefined;
    if (!topologyVersion || command.maxAwaitTimeMS === undefined) return undefined;
    const maxAwait = Math.max(0, Math.min(toNumber(command.maxAwaitTimeMS), 600_000));
    const sameProcess = String(topologyVersion.processId) === this.identity.processId.toHexString();
    const clientCounter = toNumber(topologyVersion.counter);
    return sameProcess && clientCounter >= this.identity.topologyCounter ? maxAwait : 0;
  }

  private awaitThenReply(command: Document, responseTo: number, delayMs: number, exhaust: boolean): void {
    const fire = (): void => {
      if (this.waiting) clearTimeout(this.waiting.timer);
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
    };
    this.waiting = { timer: setTimeout(fire, delayMs), exhaust, fire };
  }

  /**
   * The node's topology changed (its role, its set's primary): a waiting awaitable hello is
   * answered now with the new state, as mongod answers when its topologyVersion counter moves.
   */
  topologyChanged(): void {
    this.waiting?.fire();
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
