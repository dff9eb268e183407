import { AwsQueryError } from './aws-query-error.js';

/**
 * The parameters of a Query-protocol request (`Action=…&Version=…&Filter.1.Name=…`), with
 * helpers for the flattened list encodings: EC2's `Name.N` and `Name.N.Member`, awsQuery's
 * `Name.member.N`. Read-only; lookups never throw.
 */
export class QueryParams {
  private constructor(private readonly entries: ReadonlyMap<string, string>) {}

  /**
   * Parses a form-encoded body and/or a URL query string (`+` means space in both, as in
   * application/x-www-form-urlencoded). Body values win over query-string values.
   */
  static parse(body: string, queryString = ''): QueryParams {
    const entries = new Map<string, string>();
    for (const source of [queryString, body]) {
      for (const [key, value] of new URLSearchParams(source)) entries.set(key, value);
    }
    return new QueryParams(entries);
  }

  /** Builds parameters from a plain object (tests, internal calls). */
  static of(values: Record<string, string>): QueryParams {
    return new QueryParams(new Map(Object.entries(values)));
  }

  /** The value of `name`, or undefined when absent. An empty value is returned as ''. */
  get(name: string): string | undefined {
    return this.entries.get(name);
  }

  /** Whether `name` is present. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** All parameter names, in arrival order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The entries as a sorted plain object (used to hash requests for ClientToken idempotency). */
  toSortedObject(exclude: readonly string[] = []): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of [...this.entries.keys()].sort()) if (!exclude.includes(key)) out[key] = this.entries.get(key)!;
    return out;
  }

  /**
   * Indexes N used under `prefix` (`prefix.N` or `prefix.N.…`), ascending. Indexes need not be
   * contiguous (the CLI and SDKs send 1..n; hand-written requests may skip).
   */
  indexes(prefix: string): number[] {
    const found = new Set<number>();
    const head = `${prefix}.`;
    for (const key of this.entries.keys()) {
      if (!key.startsWith(head)) continue;
      const match = /^(\d+)(?:\.|$)/.exec(key.slice(head.length));
      if (match) found.add(Number(match[1]));
    }
    return [...found].sort((a, b) => a - b);
  }

  /** Scalar list `prefix.1`, `prefix.2`, … (EC2 flattened lists such as `SubnetId.N`). */
  list(prefix: string): string[] {
    return this.indexes(prefix)
      .map((n) => this.entries.get(`${prefix}.${n}`))
      .filter((value): value is string => value !== undefined);
  }

  /**
   * Structure list `prefix.N.*`, each as its own scoped QueryParams (`Filter.N`, `TagSpecification.N`),
   * in index order: what `scope(prefix.N)` gives for each of `indexes(prefix)`, read in one pass
   * over the parameters (a request with thousands of structures costs what it holds, not its
   * square).
   */
  structs(prefix: string): QueryParams[] {
    const head = `${prefix}.`;
    const byIndex = new Map<number, Map<string, string>>();
    for (const [key, value] of this.entries) {
      if (!key.startsWith(head)) continue;
      const match = /^(\d+)(?:\.([\s\S]*))?$/.exec(key.slice(head.length));
      if (!match) continue;
      const n = Number(match[1]);
      let scoped = byIndex.get(n);
      if (!scoped) byIndex.set(n, (scoped = new Map()));
      // Only the index's own spelling scopes its members (`Filter.01.Name` is not `Filter.1`'s).
      if (match[2] !== undefined && match[1] === String(n)) scoped.set(match[2], value);
    }
    return [...byIndex.keys()].sort((a, b) => a - b).map((n) => new QueryParams(byIndex.get(n)!));
  }

  /** awsQuery scalar list `prefix.member.N` (ELBv2 `Subnets.member.N`). */
  members(prefix: string): string[] {
    return this.list(`${prefix}.member`);
  }

  /** awsQuery structure list `prefix.member.N.*` (ELBv2 `Targets.member.N.Id`). */
  memberStructs(prefix: string): QueryParams[] {
    return this.structs(`${prefix}.member`);
  }

  /** The parameters under `prefix.`, with that prefix removed. */
  scope(prefix: string): QueryParams {
    const head = `${prefix}.`;
    const scoped = new Map<string, string>();
    for (const [key, value] of this.entries) if (key.startsWith(head)) scoped.set(key.slice(head.length), value);
    return new QueryParams(scoped);
  }
}

/** One EC2 filter: `Filter.N.Name` with its `Filter.N.Value.M` values. */
export interface QueryFilter {
  readonly name: string;
  readonly values: readonly string[];
}

/** EC2's limit on filter values in one call ("The maximum number of filter values specified on a single call is 200"). */
const MAX_FILTER_VALUES = 200;

/**
 * The `Filter.N` structures of a request, skipping entries without a name. More than 200 values in
 * all is refused as EC2 refuses it: FilterLimitExceeded.
 */
export function parseFilters(params: QueryParams): QueryFilter[] {
  const filters = params
    .structs('Filter')
    .map((filter) => ({ name: filter.get('Name') ?? '', values: filter.list('Value') }))
    .filter((filter) => filter.name.length > 0);
  if (filters.reduce((sum, filter) => sum + filter.values.length, 0) > MAX_FILTER_VALUES) {
    throw new AwsQueryError('FilterLimitExceeded', `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`);
  }
  return filters;
}

/** A tag as the APIs carry it. */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** `TagSpecification.N` structures: resource type plus `Tag.M.Key/Value`. */
export function parseTagSpecifications(params: QueryParams): Array<{ resourceType: string; tags: Tag[] }> {
  return params.structs('TagSpecification').map((spec) => ({
    resourceType: spec.get('ResourceType') ?? '',
    tags: spec.structs('Tag').map((tag) => ({ key: tag.get('Key') ?? '', value: tag.get('Value') ?? '' })),
  }));
}
