import type { ComputeAnswer, ComputeContext } from '../compute-context.js';
import type { GcpDelays } from '../delays.js';
import type { ResourcePath } from '../links.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';

/** Where a collection lives. */
export type ScopeType = 'global' | 'regional' | 'zonal';

/**
 * One Compute collection: how an insert body becomes a stored document, which output fields are
 * derived when read, what blocks a delete and what a delete does to others. The generic handler
 * (resources.handler.ts) does names, ids, selfLinks, timestamps, visibility, paging and operations.
 */
export interface ResourceKind {
  /** The URL collection (`forwardingRules`). */
  readonly collection: string;
  readonly scopeType: ScopeType;
  /** Compute's `kind` (`compute#forwardingRule`). */
  readonly kind: string;
  /** The delay key of its insert. */
  readonly delay: keyof GcpDelays;
  /**
   * Validates an insert body (the caller's project, `target` names the new resource) and returns
   * the document to store: inputs normalised (links as paths), output fields set. Throws
   * ComputeError (400 invalid/required, 404 for a missing referenced resource).
   */
  create(ctx: ComputeContext, target: ResourcePath, input: JsonObject): Promise<{ body: JsonObject; ref?: string | null }>;
  /** Output fields derived from other resources at read time (address users, attachment endpoints). */
  derive?(ctx: ComputeContext, row: ResourceRow): Promise<JsonObject>;
  /** The path of a live resource that uses this one (blocks its delete with resourceInUseByAnotherResource), if any. */
  usedBy?(ctx: ComputeContext, row: ResourceRow): Promise<string | undefined>;
  /** Side effects of a delete on others (a service attachment closes its connections). */
  afterDelete?(ctx: ComputeContext, row: ResourceRow): Promise<void>;
  /** PATCH: the new document (fingerprint already checked by the caller when the kind has one). */
  patch?(ctx: ComputeContext, row: ResourceRow, input: JsonObject): Promise<{ body: JsonObject; ref?: string | null }>;
  /** Custom methods (`POST …/{name}/{verb}`). */
  readonly verbs?: Readonly<Record<string, (ctx: ComputeContext, row: ResourceRow, input: JsonObject) => Promise<ComputeAnswer>>>;
  /** Whether the kind carries `labels` (insert and `setLabels`, labels.ts). */
  readonly labelled?: boolean;
  /** Whether the kind carries a `fingerprint` that PATCH must quote. */
  readonly fingerprinted?: boolean;
}
