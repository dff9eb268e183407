import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITE_SQL = /^\s*(insert|update|delete|merge|alter|create|drop|lock|truncate)\b/i;
/** The table a raw `insert into t` / `update t` / `delete from t` names (else: unknown). */
const RAW_WRITE_TABLE = /^\s*(?:insert\s+into|update|delete\s+from)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?(?:\s|$)/i;

/** A counter over some tables: it moves whenever one of them may have changed in this process. */
export interface Generation {
  readonly value: number;
}

/**
 * A counter that moves whenever this process writes to the store: every insert/update/delete (as
 * it is sent and again when it completes) and the end of every transaction. A read cached at
 * generation g is still what the store holds while the generation is g — as far as this process
 * can tell. Writes by other processes (replicas on the same PostgreSQL) are not seen: caches that
 * use the generation also expire by time.
 *
 * `scope(tables)` gives a counter that moves only for writes to those tables (and for writes whose
 * table cannot be told, such as DDL): a cache of an API key's roles need not be dropped because
 * the local cloud or the work queue wrote. Its tables must include every table whose deletions
 * cascade into the ones it reads (the cascade is the server's, unseen here). The end of a
 * transaction moves a scope only when that transaction wrote one of its tables (see
 * `transactionWrites`).
 */
export class WriteGeneration implements KyselyPlugin {
  private current = 0;
  /** Written tables by query (undefined: a write to tables not known). */
  private readonly writes = new WeakMap<object, readonly string[] | undefined>();
  private readonly scopes: Array<{ readonly tables: ReadonlySet<string>; value: number }> = [];

  get value(): number {
    return this.current;
  }

  /** Moves the counter, and the scopes over `tables` (every scope when they are not known). */
  bump(tables?: readonly string[]): void {
    this.current++;
    for (const scope of this.scopes) if (!tables || tables.some((t) => scope.tables.has(t))) scope.value++;
  }

  /** A counter over `tables` only (and the writes whose tables are not known). */
  scope(tables: readonly string[]): Generation {
    const scope = { tables: new Set(tables), value: 0 };
    this.scopes.push(scope);
    return scope;
  }

  /** A plugin for one transaction's queries: it records the tables they write, for the bump at its end. */
  transactionWrites(): TransactionWrites {
    return new TransactionWrites();
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const written = writtenTables(args.node);
    if (written !== NOT_A_WRITE) {
      this.writes.set(args.queryId, written);
      this.bump(written);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) this.bump(this.writes.get(args.queryId));
    return args.result;
  }
}

/** The tables one transaction wrote (`tables`: undefined once it wrote one it could not name). */
export class TransactionWrites implements KyselyPlugin {
  private readonly named = new Set<string>();
  private unknown = false;

  get tables(): readonly string[] | undefined {
    return this.unknown ? undefined : [...this.named];
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const written = writtenTables(args.node);
    if (written === undefined) this.unknown = true;
    else if (written !== NOT_A_WRITE) for (const table of written) this.named.add(table);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const NOT_A_WRITE = Symbol('not a write');

/** Whether a query writes (insert, update, delete, merge, or raw SQL that starts as a write or DDL does). */
export function isWrite(node: RootOperationNode): boolean {
  return writtenTables(node) !== NOT_A_WRITE;
}

/** The tables a query writes; undefined for a write whose tables are not known; NOT_A_WRITE for a read. */
function writtenTables(node: RootOperationNode): readonly string[] | undefined | typeof NOT_A_WRITE {
  switch (node.kind) {
    case 'InsertQueryNode':
      return known([tableName(node.into)]);
    case 'UpdateQueryNode':
      return known([tableName(node.table)]);
    case 'DeleteQueryNode':
      return known(node.from.froms.map(tableName));
    case 'MergeQueryNode':
      return known([tableName(node.into)]);
    case 'RawNode': {
      const first = node.sqlFragments[0] ?? '';
      if (!WRITE_SQL.test(first)) return NOT_A_WRITE;
      const table = RAW_WRITE_TABLE.exec(first)?.[1];
      return table === undefined ? undefined : [table.toLowerCase()];
    }
    default:
      return NOT_A_WRITE;
  }
}

function known(names: ReadonlyArray<string | undefined>): readonly string[] | undefined {
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** `t` or `t as a` → `t`; undefined for anything else (a subquery, a schema-less raw node). */
function tableName(node: OperationNode | undefined): string | undefined {
  const table = node?.kind === 'AliasNode' ? (node as unknown as { node: OperationNode }).node : node;
  if (table?.kind !== 'TableNode') return undefined;
  return (table as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
}
