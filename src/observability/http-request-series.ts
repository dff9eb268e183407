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
 * The Admin API's request counter and duration histogram, kept as plain numbers per series (three map
 * lookups and three additions per request) and turned into Prometheus series only when scraped:
 * prom-client's own `Counter.inc` and `Histogram.observe` hash the labels again on every call, which
 * was most of what metrics cost a busy API. Exposed as `<counter>` (a counter) and `<histogram>`
 * (`_bucket` with cumulative `le` counts, `_sum`, `_count`), the same series prom-client would show.
 */
export class HttpRequestSeries {
  /** Every series, in the order they were first seen (the order a scrape shows them in). */
  private readonly series: Series[] = [];
  /**
   * route → method → status → series. Nested maps rather than one map keyed by a joined string: the
   * route template and method are strings whose hash is already known, where a string joined per
   * request had to be hashed on every request.
   */
  private readonly index = new Map<string, Map<string, Map<number, Series>>>();

  constructor(private readonly buckets: readonly number[]) {}

  /** One answered request (`method` as it is to be labelled: the caller bounds its values). */
  observe(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.index.get(route);
    if (!byMethod) this.index.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      series = { labels: { method, route, status: String(status) }, count: 0, sum: 0, buckets: new Array<number>(this.buckets.length + 1).fill(0) };
      byStatus.set(status, series);
      this.series.push(series);
    }
    series.count++;
    series.sum += seconds;
    let bucket = 0;
    while (bucket < this.buckets.length && seconds > this.buckets[bucket]!) bucket++;
    series.buckets[bucket]!++;
  }

  /** Registers the counter and the histogram in `registry`. */
  register(registry: Registry, counter: { name: string; help: string }, histogram: { name: string; help: string }): void {
    const all = () => [...this.series];
    const reset = (): void => {
      this.series.length = 0;
      this.index.clear();
    };
    const merge = (labels: Labels): Record<string, string> => ({ ...labels });
    const counterMetric: CollectedMetric = {
      ...counter,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ ...counter, type: 'counter', aggregator: 'sum', values: all().map((s) => ({ labels: merge(s.labels), value: s.count })) }),
      reset,
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
      reset,
    };
    registry.registerMetric(counterMetric as unknown as Parameters<Registry['registerMetric']>[0]);
    registry.registerMetric(histogramMetric as unknown as Parameters<Registry['registerMetric']>[0]);
  }
}
