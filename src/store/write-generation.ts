import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const WRITE_NODES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);
const WRITE_SQL = /^\s*(insert|update|delete|merge|alter|create|drop|lock|truncate)\b/i;

/**
 * A counter that moves whenever this process writes to the store: every insert/update/delete (as
 * it is sent and again when it completes) and the end of every transaction. A read cached at
 * generation g is still what the store holds while the generation is g — as far as this process
 * can tell. Writes by other processes (replicas on the same PostgreSQL) are not seen: caches that
 * use the generation also expire by time.
 */
export class WriteGeneration implements KyselyPlugin {
  private current = 0;
  private readonly writes = new WeakSet<object>();

  get value(): number {
    return this.current;
  }

  bump(): void {
    this.current++;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (isWrite(args.node)) {
      this.writes.add(args.queryId);
      this.bump();
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) this.bump();
    return args.result;
  }
}

function isWrite(node: RootOperationNode): boolean {
  if (WRITE_NODES.has(node.kind)) return true;
  if (node.kind === 'RawNode') return WRITE_SQL.test((node as unknown as { sqlFragments: readonly string[] }).sqlFragments[0] ?? '');
  return false;
}
