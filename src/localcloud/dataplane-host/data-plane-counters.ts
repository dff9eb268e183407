import type { DataPlaneCounts } from '../../observability/metrics.js';
import { DNS_RCODE } from '../dataplane/dns-reply-encoder.js';

const RCODE_NAMES = new Map<number, string>(Object.entries(DNS_RCODE).map(([name, code]) => [code, name]));
/** Query types counted by name; any other goes under `OTHER` (labels stay bounded whatever clients ask). */
const COUNTED_TYPES = new Set(['A', 'AAAA', 'SRV', 'TXT', 'CNAME', 'NS', 'SOA', 'PTR', 'MX', 'ANY']);

/**
 * The data-plane worker's counters (gateway connections, refusals, bytes; DNS queries by type and
 * rcode), kept as plain numbers in the worker and shipped to the main thread as deltas by
 * `drain()` (one small message a second at most, none when idle), where Prometheus reads them.
 */
export class DataPlaneCounters {
  private connections = 0;
  private refused = 0;
  private shedNow = 0;
  private bytesIn = 0;
  private bytesOut = 0;
  private dns = new Map<string, number>();

  connection(): void {
    this.connections++;
  }

  refusal(): void {
    this.refused++;
  }

  /** A connection reset, or a listener not opened, because the data plane's open-file budget was spent. */
  shed(): void {
    this.shedNow++;
  }

  /** A forwarded connection ended: bytes from the client (in) and from the target (out). */
  closed(bytesFromClient: number, bytesFromUpstream: number): void {
    this.bytesIn += bytesFromClient;
    this.bytesOut += bytesFromUpstream;
  }

  dnsQuery(type: string, rcode: number): void {
    const key = `${COUNTED_TYPES.has(type) ? type : 'OTHER'}/${RCODE_NAMES.get(rcode) ?? 'OTHER'}`;
    this.dns.set(key, (this.dns.get(key) ?? 0) + 1);
  }

  /** The counts since the last drain, or null when nothing happened; resets them. */
  drain(): DataPlaneCounts | null {
    if (this.connections + this.refused + this.shedNow + this.bytesIn + this.bytesOut === 0 && this.dns.size === 0) return null;
    const counts: DataPlaneCounts = {
      gatewayConnections: this.connections,
      gatewayRefused: this.refused,
      dataPlaneShed: this.shedNow,
      gatewayBytesIn: this.bytesIn,
      gatewayBytesOut: this.bytesOut,
      dnsQueries: Object.fromEntries(this.dns),
    };
    this.connections = this.refused = this.shedNow = this.bytesIn = this.bytesOut = 0;
    this.dns = new Map();
    return counts;
  }
}
