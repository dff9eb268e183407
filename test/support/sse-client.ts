import { request, type IncomingMessage } from 'node:http';
import { digestAnswer } from './digest-answer.js';

/** One server-sent event as a client sees it. */
export interface ServerSentEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** An open event stream: the events received so far, in order. */
export interface EventStream {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly events: ServerSentEvent[];
  /** The last `id:` received (what a reconnecting client sends as Last-Event-ID). */
  readonly lastEventId: string | undefined;
  /** Resolves once `count` events have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ServerSentEvent[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  /** Drops the connection (as a client that goes away). */
  close(): void;
}

/**
 * Opens `GET <baseUrl><path>` as an SSE client (RFC-style parsing of `id`, `event`, `data`
 * fields; comments ignored) with HTTP Digest authentication: one unauthenticated request fetches
 * the challenge, the stream request answers it.
 */
export async function openEventStream(baseUrl: string, path: string, key: { publicKey: string; privateKey: string }, lastEventId?: string): Promise<EventStream> {
  const challenge = await new Promise<string>((resolve, reject) => {
    request(`${baseUrl}${path}`, (res) => {
      res.resume();
      resolve(String(res.headers['www-authenticate'] ?? ''));
    })
      .on('error', reject)
      .end();
  });
  const authorization = digestAnswer(key, challenge, { method: 'GET', path });

  const events: ServerSentEvent[] = [];
  let last: string | undefined = lastEventId;
  const waiters: Array<() => void> = [];
  const req = request(`${baseUrl}${path}`, { headers: { authorization, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } });
  const res = await new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject).end());
  let buffer = '';
  const ended = new Promise<void>((resolve) => {
    res.on('end', resolve);
    res.on('close', resolve);
    res.on('error', () => resolve());
  });
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let split: number;
    while ((split = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (name === 'id') id = value;
        else if (name === 'event') event = value;
        else if (name === 'data') data.push(value);
      }
      if (data.length === 0) continue;
      if (id !== undefined) last = id;
      events.push({ id, event, data: data.join('\n') });
      for (const wake of waiters.splice(0)) wake();
    }
  });
  return {
    status: res.statusCode ?? 0,
    contentType: res.headers['content-type'],
    events,
    get lastEventId() {
      return last;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events arrived: ${events.map((e) => e.event).join(', ')}`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), new Promise((r) => setTimeout(r, 200))]);
      }
      return events.slice(0, count);
    },
    ended,
    close: () => {
      req.destroy();
      res.destroy();
    },
  };
}
