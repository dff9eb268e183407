import type { Registry } from 'prom-client';

type Labels = { readonly method: string; readonly route: string; readonly status: string };

/** One series' figures: requests, the sum of their durations, and how many fell in each bucket (not cumulative). */
interface Series {
  readonly labels: Labels;
  count: number;
  sum: number;
  readonly buckets: number[];
}

/** A metric as prom-client's registry reads it (`get()` at scrape time). */
interface CollectedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }> }>;
  reset(): void;
}

/**
 * The Admin API's request counter and duration histogram, kept as plain numbers per series (a Map
 * lookup and three additions per request) and turned into Prometheus series only when scraped:
 * prom-client's own `Counter.inc` and `Histogram.observe` hash the labels again on every call, which
 * was most of what metrics cost a busy API. Exposed as `<counter>` (a counter) and `<histogram>`
 * (`_bucket` with cumulative `le` counts, `_sum`, `_count`), the same series prom-client would show.
 */
export class HttpRequestSeries {
  private readonly series = new Map<string, Series>();

  constructor(private readonly buckets: readonly number[]) {}

  /** One answered request (`method` as it is to be labelled: the caller bounds its values). */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { method, route, status: String(status) }, count: 0, sum: 0, buckets: new Array<number>(this.buckets.length + 1).fill(0) };
      this.series.set(key, series);
    }
    series.count++;
    series.sum += seconds;
    let bucket = 0;
    while (bucket < this.buckets.length && seconds > this.buckets[bucket]!) bucket++;
    series.buckets[bucket]!++;
  }

  /** Registers the counter and the histogram in `registry`. */
  register(registry: Registry, counter: { name: string; help: string }, histogram: { name: string; help: string }): void {
    const all = () => [...this.series.values()];
    const merge = (labels: Labels): Record<string, string> => ({ ...labels });
    const counterMetric: CollectedMetric = {
      ...counter,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ ...counter, type: 'counter', aggregator: 'sum', values: all().map((s) => ({ labels: merge(s.labels), value: s.count })) }),
      reset: () => this.series.clear(),
    };
    const histogramMetric: CollectedMetric = {
      ...histogram,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        ...histogram,
        type: 'histogram',
        aggregator: 'sum',
        values: all().flatMap((s) => {
          let cumulative = 0;
          const buckets = this.buckets.map((le, i) => {
            cumulative += s.buckets[i]!;
            return { labels: { ...merge(s.labels), le }, value: cumulative, metricName: `${histogram.name}_bucket` };
          });
          return [
            ...buckets,
            { labels: { ...merge(s.labels), le: '+Inf' }, value: s.count, metricName: `${histogram.name}_bucket` },
            { labels: merge(s.labels), value: s.sum, metricName: `${histogram.name}_sum` },
            { labels: merge(s.labels), value: s.count, metricName: `${histogram.name}_count` },
          ];
        }),
      }),
      reset: () => this.series.clear(),
    };
    registry.registerMetric(counterMetric as unknown as Parameters<Registry['registerMetric']>[0]);
    registry.registerMetric(histogramMetric as unknown as Parameters<Registry['registerMetric']>[0]);
  }
}
