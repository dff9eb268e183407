import { GatewayAddresses } from '../domain/gateway-addresses.js';
import { publicRegionKey } from '../domain/public-topology.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import { addressedRoutes, publicRoutesByProject, readPublicRouteRows, type ProjectPublicRoutes, type PublicRoute } from './public-path.js';

/** A read this long after the last one reads every route again (the change log keeps ten minutes; migration 0021). */
const WHOLE_AFTER_MS = 5 * 60_000;
/** How many reads' changes are kept for `update(since)`; an older `since` gets every route. */
const LOG_LIMIT = 1000;

/** What one read of the book did. */
export interface PublicRouteRead {
  /** Every route was read (the first read, or the last one too long ago). */
  readonly whole: boolean;
  /**
   * The projects whose routes were read again (on a whole read: none named). A project is read
   * again when a transaction that changed it had not committed, or was still running, when the
   * previous read began, so a change may be read twice; a project nothing changed is never read.
   */
  readonly projectIds: readonly string[];
}

/**
 * The routes as an answer to someone who follows them: every route, or the routes of each
 * project changed since the version they hold (all of that project's routes; none: it has none
 * now). `version` is what to ask with next time.
 */
export type PublicRouteUpdate =
  | { readonly version: number; readonly whole: readonly PublicRoute[] }
  | { readonly version: number; readonly projects: ReadonlyArray<readonly [projectId: string, routes: readonly PublicRoute[]]> };

/**
 * The public gateway's routes (public-path.ts), followed change by change instead of read whole
 * every time their tables are written. The first read takes every project's routes; each later
 * one reads, in a repeatable-read transaction, the projects the change log names since the last
 * read (`public_route_changes`: written by triggers, whoever writes, other replicas included) and
 * then only those projects' rows. The addresses are kept key by key as a read adds or removes
 * keys (domain/gateway-addresses.ts: most changes place or free one key's address); the projects
 * whose address moved are then addressed again. `routes()` equals `publicRoutes()` of the same
 * committed state (in another order). Reads are serialised; one that fails changes nothing.
 */
export class PublicRouteBook {
  private readonly byProject = new Map<string, ProjectPublicRoutes>();
  /** Each project's routes with their addresses (only projects that have some). */
  private readonly addressed = new Map<string, readonly PublicRoute[]>();
  /** Every project's gateway keys and their addresses, kept key by key (domain/gateway-addresses.ts). */
  private readonly gateway: GatewayAddresses;
  /** The last read's snapshot xmin; undefined before the first. */
  private since: string | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private queue: Promise<unknown> = Promise.resolve();
  private last: PublicRouteRead | undefined;
  /** Moves with every read that changed some project's routes. */
  private version = 0;
  /** What each recent version changed (`'all'`: every route was read again). */
  private readonly log: Array<{ readonly version: number; readonly projects: ReadonlySet<string> | 'all' }> = [];

  constructor(
    private readonly store: Store,
    private readonly domain: string,
    loopbackBase: number,
    private readonly now: () => number = Date.now,
  ) {
    this.gateway = new GatewayAddresses(loopbackBase);
  }

  /** What the last read did (undefined before the first). */
  get lastRead(): PublicRouteRead | undefined {
    return this.last;
  }

  /** Every listener the public gateway should have now. */
  async routes(): Promise<PublicRoute[]> {
    await this.serialised(() => this.read());
    return this.allRoutes();
  }

  /**
   * The public gateway's address of every key now, by `publicRegionKey` (what `publicAddresses`
   * reads whole). The same map every time, changed in place by later reads: read it at once.
   */
  async addressesNow(): Promise<ReadonlyMap<string, string>> {
    await this.serialised(() => this.read());
    return this.gateway.addresses;
  }

  /** The routes now, whole or as the changes since `since` (a version this book answered before). */
  update(since?: number): Promise<PublicRouteUpdate> {
    return this.serialised(async () => {
      await this.read();
      const changed = this.changedSince(since);
      if (changed === 'all') return { version: this.version, whole: this.allRoutes() };
      return { version: this.version, projects: [...changed].map((id) => [id, this.addressed.get(id) ?? []] as const) };
    });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private allRoutes(): PublicRoute[] {
    const out: PublicRoute[] = [];
    for (const routes of this.addressed.values()) for (const route of routes) out.push(route);
    return out;
  }

  /** The projects changed after version `since`, or 'all' when that is not known (no `since`, or older than the log). */
  private changedSince(since: number | undefined): ReadonlySet<string> | 'all' {
    if (since === undefined || since > this.version) return 'all';
    if (since === this.version) return new Set();
    const first = this.log[0];
    if (!first || first.version > since + 1) return 'all';
    const out = new Set<string>();
    for (const entry of this.log) {
      if (entry.version <= since) continue;
      if (entry.projects === 'all') return 'all';
      for (const id of entry.projects) out.add(id);
    }
    return out;
  }

  private async read(): Promise<void> {
    const startedAt = this.now();
    const whole = this.since === undefined || startedAt - this.readAt > WHOLE_AFTER_MS;
    const read = await this.store.readConsistent(async (trx) => {
      const repos = repositories(trx);
      const changes = await repos.publicRouteChanges.since(whole ? undefined : this.since);
      const projectIds = changes.projectIds;
      const rows = projectIds?.length === 0 ? undefined : await readPublicRouteRows(repos, projectIds);
      return { xmin: changes.xmin, projectIds, rows };
    });
    const fresh = read.rows ? publicRoutesByProject(read.rows, this.domain) : new Map<string, ProjectPublicRoutes>();
    const changed = whole ? this.replaceAll(fresh) : this.replace(read.projectIds ?? [], fresh);
    this.since = read.xmin;
    this.readAt = startedAt;
    this.last = { whole, projectIds: read.projectIds ?? [] };
    if (changed === 'all' || changed.size > 0) {
      this.log.push({ version: ++this.version, projects: changed });
      if (this.log.length > LOG_LIMIT) this.log.shift();
    }
  }

  /** Takes every project's routes from `fresh`. */
  private replaceAll(fresh: ReadonlyMap<string, ProjectPublicRoutes>): 'all' {
    this.byProject.clear();
    for (const [id, routes] of fresh) if (routes.routes.length > 0 || routes.keys.length > 0) this.byProject.set(id, routes);
    this.gateway.reset([...this.byProject.values()].flatMap((p) => p.keys.map(publicRegionKey)));
    this.addressed.clear();
    for (const id of this.byProject.keys()) this.readdress(id);
    return 'all';
  }

  /** Takes the routes of `projectIds` from `fresh` (a project absent there has none now); returns the projects whose addressed routes may have changed. */
  private replace(projectIds: readonly string[], fresh: ReadonlyMap<string, ProjectPublicRoutes>): Set<string> {
    const changed = new Set<string>();
    // A key's address moves only when a new key sorted before it takes its slot, or a freed slot ends its search sooner: those projects are addressed again.
    const moved = (keys: readonly string[]) => {
      for (const key of keys) changed.add(key.slice(0, key.indexOf('|')));
    };
    for (const id of projectIds) {
      const before = this.byProject.get(id);
      const after = fresh.get(id);
      if (after && (after.routes.length > 0 || after.keys.length > 0)) this.byProject.set(id, after);
      else this.byProject.delete(id);
      const oldKeys = (before?.keys ?? []).map(publicRegionKey);
      const newKeys = (after?.keys ?? []).map(publicRegionKey);
      for (const key of oldKeys) if (!newKeys.includes(key)) moved(this.gateway.remove(key));
      for (const key of newKeys) if (!oldKeys.includes(key)) moved(this.gateway.add(key));
      changed.add(id);
    }
    for (const id of changed) this.readdress(id);
    return changed;
  }

  private readdress(projectId: string): void {
    const routes = this.byProject.get(projectId);
    const addressed = routes ? addressedRoutes([routes], this.gateway.addresses) : [];
    if (addressed.length > 0) this.addressed.set(projectId, addressed);
    else this.addressed.delete(projectId);
  }
}
