import type { Kysely, KyselyPlugin, RootOperationNode } from 'kysely';

/**
 * `db` with every query it sends recorded: a raw query's SQL (its fragments joined by `?`), else
 * the kind of the query's root node (`SelectQueryNode`, …). For tests that count store round trips.
 */
export function withQueryLog<DB>(db: Kysely<DB>): { readonly db: Kysely<DB>; readonly queries: string[] } {
  const queries: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const node = args.node as RootOperationNode & { sqlFragments?: readonly string[] };
      queries.push(node.kind === 'RawNode' ? (node.sqlFragments ?? []).join('?') : node.kind);
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), queries };
}
