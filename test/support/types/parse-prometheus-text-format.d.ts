// Types of the parser's output (it ships none): prom2json's shape.
declare module 'parse-prometheus-text-format' {
  interface Sample {
    readonly labels?: Record<string, string>;
    /** Counters, gauges, untyped. */
    readonly value?: string;
    /** Histograms: cumulative count per upper bound (`le`). */
    readonly buckets?: Record<string, string>;
    readonly count?: string;
    readonly sum?: string;
  }
  interface Family {
    readonly name: string;
    readonly help: string;
    readonly type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    readonly metrics: Sample[];
  }
  export default function parsePrometheusTextFormat(text: string): Family[];
}
