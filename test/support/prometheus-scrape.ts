import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One scrape of `/metrics`, parsed by a Prometheus text-format parser (prom2json's shape). */
export interface Scrape {
  readonly status: number;
  readonly contentType: string | null;
  /** Metric families by name. */
  readonly families: ReadonlyMap<string, ReturnType<typeof parsePrometheusTextFormat>[number]>;
  /** Sum of a counter's or gauge's samples whose labels include `labels` (0 when none). */
  value(name: string, labels?: Record<string, string>): number;
  /** A histogram's observation count over samples whose labels include `labels`. */
  count(name: string, labels?: Record<string, string>): number;
  /** A histogram's `_bucket` samples whose labels include `labels`, in the order served (`le` as written). */
  buckets(name: string, labels?: Record<string, string>): Array<{ le: string; value: number }>;
  /** A histogram's `_sum` over samples whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

/** GETs `<baseUrl>/metrics` and parses the answer (an error body parses to no families). */
export async function scrape(baseUrl: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  const parsed = response.ok ? parsePrometheusTextFormat(text) : [];
  const families = new Map(parsed.map((family) => [family.name, family]));
  // The parser folds a histogram into one unlabelled sample (prom2json's old shape); read without
  // the histogram TYPE lines, each `<name>_count{labels}` line is a labelled sample of its own
  // (one run of lines per label set, so runs of the same name are joined).
  const flat = response.ok ? parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, '')) : [];
  const samples = new Map<string, Array<{ labels?: Record<string, string>; value?: string }>>();
  for (const family of flat) samples.set(family.name, [...(samples.get(family.name) ?? []), ...family.metrics]);
  const matching = (name: string, labels: Record<string, string>) =>
    (samples.get(name) ?? []).filter((sample) => Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v));
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    families,
    value: (name, labels = {}) => matching(name, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0),
    count: (name, labels = {}) => matching(`${name}_count`, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0),
    buckets: (name, labels = {}) => matching(`${name}_bucket`, labels).map((sample) => ({ le: sample.labels!.le!, value: Number(sample.value ?? 0) })),
    sum: (name, labels = {}) => matching(`${name}_sum`, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0),
  };
}
