/** Thrown (rejected) when a lookup would exceed the in-flight cap (and, when queueing, the queue). */
export class LookupOverloadError extends Error {
  override readonly name = 'LookupOverloadError';
}

export interface BoundedLookupsOptions {
  /** Distinct questions being answered at once; must be ≥ 1. */
  readonly maxInFlight: number;
  /** Over the cap: 'reject' fails at once; 'queue' waits in a FIFO of `maxQueued`, then fails. */
  readonly overflow: 'reject' | 'queue';
  readonly maxQueued?: number;
  /** How long an answer is reused for the same key (ms); 0 caches nothing. */
  readonly cacheMs: number;
  /** Most answers kept; the oldest go first. */
  readonly cacheEntries: number;
  readonly now?: () => number;
}

/** What a lookup answers: the value, and whether it may be reused (false when the data changed while it was computed). */
export interface LookupAnswer<V> {
  readonly value: V;
  readonly cacheable: boolean;
}

interface Waiting<V> {
  readonly key: string;
  readonly ask: () => Promise<LookupAnswer<V>>;
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * A bounded, caching front for an expensive lookup (here: a question to another thread).
 * Contract:
 * - the same key asked while its answer is pending shares that one answer (no second question);
 * - a cacheable answer (including `undefined`) is reused for `cacheMs`; failures are never cached;
 * - at most `maxInFlight` distinct keys are asked at once; over that, a question is refused with
 *   LookupOverloadError ('reject') or waits its turn in a bounded FIFO ('queue');
 * - `clear()` drops every cached answer, and answers still pending are not cached when they land.
 */
export class BoundedLookups<V> {
  private readonly cache = new Map<string, { value: V; expires: number }>();
  private readonly pending = new Map<string, Promise<V>>();
  private readonly queue: Waiting<V>[] = [];
  private active = 0;
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: BoundedLookupsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The answer for `key`, from the cache, a pending question, or `ask()` within the bounds. */
  get(key: string, ask: () => Promise<LookupAnswer<V>>): Promise<V> {
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return Promise.resolve(cached.value);
    if (cached) this.cache.delete(key);
    const shared = this.pending.get(key);
    if (shared) return shared;
    let answer: Promise<V>;
    if (this.active < this.options.maxInFlight) {
      answer = this.run(key, ask);
    } else if (this.options.overflow === 'queue' && this.queue.length < (this.options.maxQueued ?? 0)) {
      answer = new Promise<V>((resolve, reject) => this.queue.push({ key, ask, resolve, reject }));
    } else {
      return Promise.reject(new LookupOverloadError(`more than ${this.options.maxInFlight} lookups in flight`));
    }
    this.pending.set(key, answer);
    return answer;
  }

  /** Forgets every cached answer (the data behind them changed). */
  clear(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** Questions being answered now (not counting the queue). */
  get inFlight(): number {
    return this.active;
  }

  private run(key: string, ask: () => Promise<LookupAnswer<V>>): Promise<V> {
    this.active += 1;
    const generation = this.generation;
    let started: Promise<LookupAnswer<V>>;
    try {
      started = ask();
    } catch (error) {
      started = Promise.reject(error);
    }
    return started.then(
      (answer) => {
        this.settled(key);
        if (answer.cacheable && generation === this.generation && this.options.cacheMs > 0) this.remember(key, answer.value);
        return answer.value;
      },
      (error: unknown) => {
        this.settled(key);
        throw error;
      },
    );
  }

  private settled(key: string): void {
    this.active -= 1;
    this.pending.delete(key);
    const next = this.queue.shift();
    if (!next) return;
    const answer = this.run(next.key, next.ask);
    this.pending.set(next.key, answer);
    answer.then(next.resolve, next.reject);
  }

  private remember(key: string, value: V): void {
    this.cache.delete(key);
    this.cache.set(key, { value, expires: this.now() + this.options.cacheMs });
    while (this.cache.size > this.options.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
  }
}
