// Counters (and gauges) read from a privlink's Prometheus `/metrics` (loopback access, privlink's default), for
// benchmarks that report what the work cost in reconcile passes and cloud calls, and what memory holds:
// every sample line `name{labels} value` of the names asked for is kept (histograms by their _sum/_count).

/** One scrape: the samples of the asked counters. */
export interface CounterScrape {
  /** Sum of `name`'s samples whose labels include `labels` (0 when none). */
  sum(name: string, labels?: Record<string, string>): number;
  /** `name`'s samples summed by the value of `label` (e.g. passes by `kind`). */
  by(name: string, label: string): Map<string, number>;
}

interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** GETs `<apiUrl>/metrics` and keeps the samples of `names`. Throws when the answer is not 200. */
export async function scrapeCounters(apiUrl: string, names: readonly string[]): Promise<CounterScrape> {
  const response = await fetch(`${apiUrl}/metrics`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /metrics: ${response.status} ${text.slice(0, 200)}`);
  const samples = new Map<string, Sample[]>(names.map((name) => [name, []]));
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    const list = match && samples.get(match[1]!);
    if (!list) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    list.push({ labels, value: Number(match[3]) });
  }
  const matching = (name: string, labels: Record<string, string>) => (samples.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    sum: (name, labels = {}) => matching(name, labels).reduce((total, s) => total + s.value, 0),
    by: (name, label) => {
      const out = new Map<string, number>();
      for (const s of samples.get(name) ?? []) out.set(s.labels[label] ?? '', (out.get(s.labels[label] ?? '') ?? 0) + s.value);
      return out;
    },
  };
}

/** `after - before` per key (keys of either; a counter that restarted counts from 0). */
export function difference(after: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const key of new Set([...after.keys(), ...before.keys()])) {
    const a = after.get(key) ?? 0;
    const b = before.get(key) ?? 0;
    out.set(key, a >= b ? a - b : a);
  }
  return out;
}
