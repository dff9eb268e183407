import type { LoopbackRange } from '../common/loopback.js';
import { resting, type Advanced, type TimedState } from '../common/transitions.js';
import type { Delays } from './delays.js';
import type { SteppedRow } from './lazy-transitions.js';
import type { Region } from './geography.js';
import type { Account, Timed } from './model.js';
import type { QueryParams } from './query-params.js';
import type { Repositories } from './store/repositories.js';
import type { Xml } from './xml.js';

/**
 * Everything one action sees. Built by the request pipeline after authentication, inside the
 * request's transaction (repositories are bound to it: never touch the store directly from an
 * action, or PGlite deadlocks).
 */
export interface ActionContext {
  readonly repos: Repositories;
  /** The authenticated caller; every resource an action creates belongs to it. */
  readonly account: Account;
  /** From the SigV4 credential scope. */
  readonly region: Region;
  /** The emulated clock (LocalCloudAwsOptions.now), fixed for the whole request. */
  readonly now: Date;
  readonly delays: Delays;
  /** The AWS emulation's loopback range (common/loopback.ts). */
  readonly loopback: LoopbackRange;
  /** CreateVpcEndpoint answers 503 Unavailable for this long after a service became Available. */
  readonly unavailableWindowMs: number;
  /** Whether the caller is the provider account (its default VPCs skip the unsupported AZ). */
  readonly isProvider: boolean;
  readonly action: string;
  readonly params: QueryParams;
  /**
   * The timing of a row entering `state` now that moves on to `nextState` after `afterMs`
   * (common/transitions.ts `scheduled`): `shown` for the answer, `stored` for the row's write. A
   * step due at once (`afterMs` ≤ 0, as with the instant delays) is already applied in `stored`
   * when it touches nothing but the row (lazy-transitions.ts `settledAtOnce`), and otherwise
   * applied before the request commits, after the action has made its answer. Either way the
   * answer shows `state`, as AWS's does, and no later request finds the step still to apply.
   * `row`: the kind of row the timing is for.
   */
  schedule(state: string, nextState: string, afterMs: number, row: SteppedRow): Scheduled;
}

/** A row's timing from ActionContext.schedule (or `atRest`): what the answer shows and what the row is written with. */
export interface Scheduled {
  /** The state entered now, with the step after it still ahead: what the action's answer shows. */
  readonly shown: TimedState;
  /** What the action writes: `shown`, or the row already past a step that was due at once. */
  readonly stored: TimedState;
  /** The states `stored` entered on the way from `shown` (lazy-transitions.ts `enteredAt`): a service entering `Available` records when. */
  readonly entered: Advanced['entered'];
}

/** The timing of a row that rests in `state` until someone acts on it, shown and stored alike. */
export function atRest(state: string): Scheduled {
  const timing = resting(state);
  return { shown: timing, stored: timing, entered: [] };
}

/** `row` as the answer shows it: its stored fields with the timing `shown`. */
export function asShown<R extends Timed<string>>(row: R, timing: Scheduled): R {
  return { ...row, state: timing.shown.state as R['state'], nextState: timing.shown.nextState, nextStateAt: timing.shown.nextStateAt };
}

/**
 * One Query action. Returns the XML inside the response element (EC2: after `requestId`;
 * ELBv2: inside `<ActionResult>`). Throws AwsQueryError for AWS errors; anything else is a bug
 * and becomes a 500.
 */
export type ActionHandler = (ctx: ActionContext) => Promise<Xml>;
