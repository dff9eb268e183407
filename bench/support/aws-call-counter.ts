// An HTTP pass-through in front of the local cloud that counts the AWS API calls privlink sends,
// by action, as they cross the wire: the Query protocol's `Action` (EC2, Elastic Load Balancing;
// in the form body or the URL) or the JSON protocol's `X-Amz-Target` (Service Quotas). Requests and
// answers go through byte for byte (the Host header included, so SigV4 signatures still hold).
// It also keeps how long at least one call was in flight, and the calls' summed durations: the
// AWS local cloud runs its calls one at a time, so a share near 100 % says it is the limit.
import { Agent, createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsCallCounter {
  /** Where privlink should send its AWS calls (PRIVLINK_AWS_ENDPOINT). */
  readonly url: string;
  /** Calls so far by action (a copy). */
  counts(): Map<string, number>;
  /** Since the start, ms: how long at least one call was in flight, and the calls' durations summed. */
  busy(): CallTime;
  close(): Promise<void>;
}

export interface CallTime {
  readonly busyMs: number;
  readonly callMs: number;
}

/** Starts the pass-through on a free loopback port, forwarding to `target` (e.g. `http://127.0.0.1:4566`). */
export async function startAwsCallCounter(target: string): Promise<AwsCallCounter> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const counts = new Map<string, number>();
  let inFlight = 0;
  let busySince = 0;
  let busyMs = 0;
  let callMs = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(req.headers, req.url ?? '/', body);
      counts.set(action, (counts.get(action) ?? 0) + 1);
      const started = performance.now();
      if (inFlight++ === 0) busySince = started;
      res.once('close', () => {
        const ended = performance.now();
        callMs += ended - started;
        if (--inFlight === 0) busyMs += ended - busySince;
      });
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => new Map(counts),
    busy: () => ({ busyMs: busyMs + (inFlight > 0 ? performance.now() - busySince : 0), callMs }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function actionOf(headers: IncomingHttpHeaders, url: string, body: Buffer): string {
  const targetHeader = headers['x-amz-target'];
  if (typeof targetHeader === 'string') return targetHeader.slice(targetHeader.lastIndexOf('.') + 1);
  const fromUrl = new URL(url, 'http://x').searchParams.get('Action');
  if (fromUrl) return fromUrl;
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? '(unknown)';
}
