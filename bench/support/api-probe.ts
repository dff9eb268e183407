// A steady background probe of the Admin API: one Digest GET every `intervalMs` (a new one starts
// `intervalMs` after the previous one answered), its latency recorded, while something else loads
// the server. What an operator's dashboard or a user's CLI sees during the load.
import { AtlasClient } from '../../src/client/atlas-client.js';

export interface ProbeTarget {
  readonly apiUrl: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

export interface ApiProbe {
  /** Stops after the request in flight; resolves to every latency (ms) and the count of failures (non-200 answers, network errors). */
  stop(): Promise<{ latencies: number[]; failures: number }>;
}

/**
 * Starts probing `path`, taking the targets in turn (one client each, kept alive); the first
 * request of each client (its Digest challenge) is not recorded.
 */
export async function startApiProbe(targets: readonly ProbeTarget[], path: string, intervalMs: number): Promise<ApiProbe> {
  const clients = targets.map((t) => new AtlasClient({ baseUrl: t.apiUrl, publicKey: t.publicKey, privateKey: t.privateKey }));
  for (const client of clients) await client.get(path);
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const t0 = performance.now();
      try {
        const response = await clients[i % clients.length]!.get(path);
        latencies.push(performance.now() - t0);
        if (response.status !== 200) failures++;
      } catch (error) {
        failures++;
        if (failures <= 3) console.error(`probe: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      for (const client of clients) client.close();
      return { latencies, failures };
    },
  };
}
