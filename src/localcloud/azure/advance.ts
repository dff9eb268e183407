import { DueMemory } from '../common/due-memory.js';
import type { ArmContext } from './kinds/kind.js';
import { kindOfType } from './kinds/registry.js';
import { OPERATION_RETENTION_MS } from './store/operations.repository.js';

/**
 * Advances every resource whose next step is due at `ctx.now` and persists the result:
 * `Updating` → `Succeeded`; `Deleting` → gone (with the kind's side effects: child rows, addresses,
 * connections). Marks due operations Succeeded. Idempotent; call first in each request's
 * transaction, under the emulator lock. Returns whether anything changed.
 */
export async function advanceDue(ctx: ArmContext): Promise<boolean> {
  await ctx.repos.operations.settle(ctx.now, new Date(ctx.now.getTime() - OPERATION_RETENTION_MS));
  let changed = false;
  for (const row of await ctx.repos.resources.due(ctx.now)) {
    changed = true;
    if (row.nextState === 'purged') {
      await purgeRow(ctx, row.key);
      continue;
    }
    await ctx.repos.resources.save({ ...row, provisioningState: row.nextState ?? row.provisioningState, nextState: null, nextStateAt: null });
  }
  return changed;
}

/** Removes a resource now, with its kind's side effects (used by due deletions and resource group deletion). */
export async function purgeRow(ctx: ArmContext, key: string): Promise<void> {
  const row = await ctx.repos.resources.find(key);
  if (!row) return;
  const kind = kindOfType(row.type);
  if (kind) await kind.purge(ctx, row);
  await ctx.repos.resources.delete(row.key);
}

/**
 * The Azure emulator's transitions (resources and their operations) with the memory of when the
 * first falls due (common/due-memory.ts, its contract: under the emulator lock only).
 */
export class DueTransitions extends DueMemory {
  /**
   * Advances what is due at `ctx.now` (advanceDue), asking the store only when something may be;
   * `asked` is the store's answer (firstDueAt, null: none) when the caller read it already under
   * the lock. Returns whether a resource changed.
   */
  async advance(ctx: ArmContext, asked?: Date | null): Promise<boolean> {
    if (this.knowsNothingDue(ctx.now)) return false;
    if (!this.heard(asked !== undefined ? asked : await ctx.repos.resources.firstDueAt(), ctx.now)) return false;
    return advanceDue(ctx);
  }
}
