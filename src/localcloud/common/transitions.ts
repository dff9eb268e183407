/**
 * Lazy state transitions. A stateful row stores `state`, `nextState` and `nextStateAt`; nothing
 * runs in the background. Whoever reads or acts on a row first advances it to `now` (and
 * persists the result), so transitions survive restarts and several processes agree on them.
 */

/** The pseudo-state after which a row is removed (deleted resources vanish after a while). */
export const PURGED = 'purged';

/** The stored timing of one row. */
export interface TimedState {
  readonly state: string;
  readonly nextState: string | null;
  readonly nextStateAt: Date | null;
}

/** What happens after a row enters `state` on its own: nothing, or another step after `afterMs`. */
export type FollowUp = (state: string) => { readonly next: string; readonly afterMs: number } | undefined;

/** A row advanced to some instant, with the states it entered on the way (for side effects). */
export interface Advanced extends TimedState {
  readonly purged: boolean;
  readonly entered: ReadonlyArray<{ readonly state: string; readonly at: Date }>;
}

/**
 * Advances `row` to `now`: while the next step is due, enter it (at its due time, not at `now`)
 * and schedule its follow-up. Pure. A row with nothing due comes back unchanged (`entered` empty).
 */
export function advance(row: TimedState, now: Date, followUp: FollowUp = () => undefined): Advanced {
  let { state, nextState, nextStateAt } = row;
  const entered: Array<{ state: string; at: Date }> = [];
  while (nextState !== null && nextStateAt !== null && nextStateAt.getTime() <= now.getTime()) {
    const at = nextStateAt;
    state = nextState;
    entered.push({ state, at });
    if (state === PURGED) return { state, nextState: null, nextStateAt: null, purged: true, entered };
    const step = followUp(state);
    nextState = step ? step.next : null;
    nextStateAt = step ? new Date(at.getTime() + step.afterMs) : null;
  }
  return { state, nextState, nextStateAt, purged: false, entered };
}

/**
 * The timing of a row that is entering `state` now and moves on to `nextState` after `afterMs`
 * (0 = due at once, so the very next read sees `nextState`).
 */
export function scheduled(state: string, nextState: string, afterMs: number, now: Date): TimedState {
  return { state, nextState, nextStateAt: new Date(now.getTime() + afterMs) };
}

/** The timing of a row that rests in `state` until someone acts on it. */
export function resting(state: string): TimedState {
  return { state, nextState: null, nextStateAt: null };
}
