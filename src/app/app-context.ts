import type { Transaction } from 'kysely';
import type { Store } from '../store/database.js';
import { repositories, type Repositories } from '../store/repositories.js';
import type { Schema } from '../store/schema.js';
import { WORK_CHANNEL } from '../domain/work-kinds.js';
import type { CloudProvider } from '../domain/regions.js';
import { ReadCache } from './read-cache.js';
import { IdentityRepository } from '../store/identity.repository.js';
import type { Project } from '../domain/identity.js';
import type { NodeFaultSwitch } from './simulated-nodes.service.js';

/** Settings the use cases need besides the store. */
export interface AppSettings {
  /** DNS domain of cluster hostnames (`--domain`). */
  readonly domain: string;
  /** The clouds this deployment serves (a cloud configured for its reconciler); others answer PROVIDER_UNSUPPORTED. */
  readonly providers: readonly CloudProvider[];
  /**
   * Says why a webhook URL may not be delivered to (null: allowed), after resolving its host
   * (`PRIVLINK_WEBHOOK_ALLOW`). Without it no webhook can be created.
   */
  readonly webhookTargets?: (url: URL) => Promise<string | null>;
}

/**
 * What every use case gets: the store, a clock and settings. Use cases are plain async functions
 * `(ctx, principal, input) → result`; they check access, apply rules in one transaction, enqueue
 * reconcile work for what they changed, and announce it after commit.
 */
export interface AppContext {
  readonly store: Store;
  readonly settings: AppSettings;
  /** Hot reads (see read-cache.ts). */
  readonly cache: ReadCache;
  /** Projects by id (see `reader`): kept while this process writes no project, whatever else it writes. */
  readonly projects: ReadCache;
  /** The local cloud's node fault switch (the data plane); absent when the local cloud is off. */
  readonly nodeFaults?: NodeFaultSwitch;
  now(): Date;
}

/**
 * The tables the read cache's loads read (the endpoint-service GET: its project, the service and
 * its interface endpoints; a reader's project by id): a write to another table keeps its entries.
 * A new cached read of another table must add that table here.
 */
export const CACHED_READ_TABLES = ['projects', 'endpoint_services', 'interface_endpoints'];

/** An AppContext over a store with the default read cache. */
export function appContext(store: Store, settings: AppSettings, now: () => Date = () => new Date()): AppContext {
  return { store, settings, cache: new ReadCache(store.writes.scope(CACHED_READ_TABLES)), projects: new ReadCache(store.writes.scope(['projects'])), now };
}

/** Inside a use-case transaction: repositories bound to it, and a way to enqueue reconcile work. */
export interface UnitOfWork {
  readonly repos: Repositories;
  readonly trx: Transaction<Schema>;
  /** Makes (kind, key) due now; the reconciler is woken after commit. */
  enqueue(kind: string, key: string): Promise<void>;
}

/**
 * Runs `work` in one transaction; after it commits, wakes the reconcilers of every process if
 * anything was enqueued. Use cases and reconcile passes both write through it. The wake-up is a hint: the queue row is the durable record.
 */
export async function inTransaction<T>(ctx: Pick<AppContext, 'store'>, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  let enqueued = 0;
  const result = await ctx.store.transaction(async (trx) => {
    const repos = repositories(trx);
    return work({
      repos,
      trx,
      async enqueue(kind, key) {
        await repos.workQueue.enqueue(kind, key);
        enqueued++;
      },
    });
  });
  if (enqueued > 0) await ctx.store.notify(WORK_CHANNEL, '').catch(() => undefined);
  return result;
}

/**
 * Repositories on the database outside any transaction (reads), made once per context. Their
 * project reads by id go through the context's project cache (read-cache.ts): every project route
 * checks its project, and the API's pollers ask for the same few projects many times a second.
 * That cache is dropped only by writes to projects, not by the endpoint writes that drop `cache`:
 * under load those come many times a second and would leave it empty.
 */
export function reader(ctx: AppContext): Repositories {
  let repos = readers.get(ctx);
  if (!repos) {
    const base = repositories(ctx.store.db);
    repos = { ...base, identity: new CachedProjectReads(ctx.store.db, ctx.projects) };
    readers.set(ctx, repos);
  }
  return repos;
}

const readers = new WeakMap<AppContext, Repositories>();

/** The identity repository, with `findProject` answered from the project cache (never inside a transaction). */
class CachedProjectReads extends IdentityRepository {
  constructor(
    db: Store['db'],
    private readonly cache: ReadCache,
  ) {
    super(db);
  }

  override findProject(id: string): Promise<Project | undefined> {
    return this.cache.get(`project:${id}`, () => super.findProject(id));
  }
}
