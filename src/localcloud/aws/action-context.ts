import type { LoopbackRange } from '../common/loopback.js';
import type { TimedState } from '../common/transitions.js';
import type { Delays } from './delays.js';
import type { SteppedRow } from './lazy-transitions.js';
import type { Region } from './geography.js';
import type { Account } from './model.js';
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
   * (common/transitions.ts `scheduled`). A step due at once (`afterMs` ≤ 0, as with the instant
   * delays) is applied before the request commits, after the action has made its answer: the
   * answer shows `state`, as AWS's does, and no later request finds the step still to apply.
   * `row`: the kind of row the timing is for.
   */
  schedule(state: string, nextState: string, afterMs: number, row: SteppedRow): TimedState;
}

/**
 * One Query action. Returns the XML inside the response element (EC2: after `requestId`;
 * ELBv2: inside `<ActionResult>`). Throws AwsQueryError for AWS errors; anything else is a bug
 * and becomes a 500.
 */
export type ActionHandler = (ctx: ActionContext) => Promise<Xml>;
