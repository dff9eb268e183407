import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Latencies of `GET /healthz` polled back to back; a request over `timeoutMs` counts as `timeoutMs`. */
export interface HealthProbe {
  /** Stops polling and returns every latency measured (ms). */
  stop(): Promise<number[]>;
}

/** Polls `<apiUrl>/healthz` one request after another (kept-alive connection) until `stop()`. */
export function probeHealth(apiUrl: string, timeoutMs = 2000): HealthProbe {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  const once = () =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      const request = get(`${apiUrl}/healthz`, { agent, timeout: timeoutMs }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode === 200 ? performance.now() - started : timeoutMs));
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(Math.max(timeoutMs, performance.now() - started)));
    });
  const loop = (async () => {
    while (running) latencies.push(await once());
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return latencies;
    },
  };
}

/** The p-th percentile (0–100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
