// What the scale benchmark's failover run (BENCH_SCALE_FAILOVER=1: two replicas on PostgreSQL, the
// second SIGKILLed mid-run) measures besides time: how fast the dead replica's leased work is
// handed over, whether any cloud resource was made twice or left behind, and how a periodic resync
// spreads its passes over its period. Read from the replicas' own database (the reconcile queue,
// the local cloud's lc_* tables) and from /metrics.
import { scrapeCounters } from './metrics-scrape.js';

type Query = <T extends Record<string, unknown>>(text: string, values?: readonly unknown[]) => Promise<T[]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The dead replica's leased queue items, and how long each took to leave its hands. */
export interface Handover {
  /** Items the dead replica held a lease on when it died. */
  readonly orphaned: number;
  /** Of those, how many another replica claimed (or finished) within the watch; the rest are stuck. */
  readonly handedOver: number;
  readonly stuck: number;
  /** From the kill to the item's leaving the dead replica's lease, ms: median and largest. */
  readonly p50Ms: number;
  readonly maxMs: number;
}

/**
 * Starts watching, right after `pid` was SIGKILLed, the reconcile-queue items it held (a lease
 * owner is `<pid>-<random>`): each is handed over when its row is gone (finished by another
 * replica) or another owner holds it. Polls every 100 ms until every item is handed over or
 * `giveUpMs` passed. Resolves once the items are read; `done` resolves to the figures.
 */
export async function watchHandover(query: Query, pid: number, killedAt: number, giveUpMs: number): Promise<{ done: Promise<Handover> }> {
  const owner = `${pid}-%`;
  const held = async () => new Set((await query<{ item: string }>(`select kind || '/' || key as item from reconcile_queue where lease_owner like $1`, [owner])).map((r) => r.item));
  const orphans = await held();
  const waited = new Map<string, number>();
  const watch = async (): Promise<Handover> => {
    while (waited.size < orphans.size && Date.now() - killedAt < giveUpMs) {
      const still = await held();
      for (const item of orphans) if (!still.has(item) && !waited.has(item)) waited.set(item, Date.now() - killedAt);
      if (waited.size < orphans.size) await sleep(100);
    }
    const times = [...waited.values()].sort((a, b) => a - b);
    return {
      orphaned: orphans.size,
      handedOver: times.length,
      stuck: orphans.size - times.length,
      p50Ms: times.length ? times[Math.floor((times.length - 1) / 2)]! : Number.NaN,
      maxMs: times.length ? times[times.length - 1]! : Number.NaN,
    };
  };
  return { done: watch() };
}

/** Cloud resources privlink made, by the privlink endpoint service they were made for (its tag). */
export interface CloudResourceCheck {
  /** privlink's endpoint services (rows). */
  readonly services: number;
  /** AWS endpoint services and network load balancers in the local cloud tagged with a privlink service id. */
  readonly endpointServices: number;
  readonly loadBalancers: number;
  /** Service ids with more than one endpoint service or load balancer: made twice. */
  readonly duplicated: number;
  /** Resources whose privlink service does not exist: leaked. */
  readonly leaked: number;
}

/** Counts, in the local cloud's tables, what privlink made for its endpoint services. */
export async function checkCloudResources(query: Query): Promise<CloudResourceCheck> {
  const tagged = (table: string) => `
    select t->>'value' as id, count(*)::int as n
      from ${table}, jsonb_array_elements(tags) t
     where t->>'key' = 'privlink:endpoint-service-id'
     group by 1`;
  const [row] = await query<{ services: number; es: number; lb: number; duplicated: number; leaked: number }>(`
    with es as (${tagged('lc_endpoint_services')}), lb as (${tagged('lc_load_balancers')}), made as (select * from es union all select * from lb)
    select (select count(*)::int from endpoint_services) as services,
           (select coalesce(sum(n), 0)::int from es) as es,
           (select coalesce(sum(n), 0)::int from lb) as lb,
           (select count(distinct id)::int from made where n > 1) as duplicated,
           (select count(*)::int from made where id not in (select id from endpoint_services)) as leaked`);
  return { services: row!.services, endpointServices: row!.es, loadBalancers: row!.lb, duplicated: row!.duplicated, leaked: row!.leaked };
}

/** Reconcile passes per second over a watch of one resync period, after everything settled. */
export interface ResyncSpread {
  readonly seconds: number;
  readonly passes: number;
  /** The watch's passes by work kind. */
  readonly byKind: Map<string, number>;
  /** Largest passes in one second, and the largest share of the watch's passes in any 5 s window. */
  readonly maxPerSecond: number;
  readonly largestFiveSecondShare: number;
}

/**
 * Samples `privlink_reconcile_passes_total` of the replicas at `apiUrls` once a second for
 * `seconds` and reports how evenly the passes fell. An even spread puts about 5/seconds of them in
 * any 5 s window; a thundering herd puts most of them in one.
 */
export async function watchResyncSpread(apiUrls: readonly string[], seconds: number): Promise<ResyncSpread> {
  const byKind = async () => {
    const out = new Map<string, number>();
    for (const url of apiUrls) {
      for (const [kind, n] of (await scrapeCounters(url, ['privlink_reconcile_passes_total'])).by('privlink_reconcile_passes_total', 'kind'))
        out.set(kind, (out.get(kind) ?? 0) + n);
    }
    return out;
  };
  const first = await byKind();
  const total = async () => [...(await byKind()).values()].reduce((a, b) => a + b, 0);
  const perSecond: number[] = [];
  let previous = [...first.values()].reduce((a, b) => a + b, 0);
  const start = Date.now();
  for (let s = 1; s <= seconds; s++) {
    await sleep(Math.max(0, start + s * 1000 - Date.now()));
    const now = await total();
    perSecond.push(now - previous);
    previous = now;
  }
  const last = await byKind();
  const kinds = new Map([...last].map(([kind, n]) => [kind, n - (first.get(kind) ?? 0)]));
  const passes = perSecond.reduce((a, b) => a + b, 0);
  let largest = 0;
  for (let i = 0; i + 5 <= perSecond.length; i++)
    largest = Math.max(
      largest,
      perSecond.slice(i, i + 5).reduce((a, b) => a + b, 0),
    );
  return { seconds, passes, byKind: kinds, maxPerSecond: Math.max(0, ...perSecond), largestFiveSecondShare: passes > 0 ? largest / passes : Number.NaN };
}
