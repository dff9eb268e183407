import type { Delays } from './delays.js';
import type { Repositories } from './store/repositories.js';
import { DueMemory } from '../common/due-memory.js';
import { advance, PURGED, type Advanced, type FollowUp, type TimedState } from '../common/transitions.js';

/** After a service enters `Deleted` it vanishes once the retention delay has passed. */
function serviceFollowUp(delays: Delays): FollowUp {
  return (state) => (state === 'Deleted' ? { next: PURGED, afterMs: delays.deletedRetention } : undefined);
}

/** After an endpoint enters `deleted` it vanishes once the retention delay has passed. */
function endpointFollowUp(delays: Delays): FollowUp {
  return (state) => (state === 'deleted' ? { next: PURGED, afterMs: delays.deletedRetention } : undefined);
}

/**
 * The AWS emulator's lazy steps (load balancers, endpoint services, VPC endpoints) with the
 * memory of when the first falls due (common/due-memory.ts, its contract).
 */
export class DueSteps extends DueMemory {
  /**
   * Advances the rows due at `now` (advanceDueRows), asking the store only when a step may be due;
   * `asked` is the store's answer (firstStepDueAt, null: none) when the caller read it already
   * under the lock.
   */
  async advance(repos: Repositories, now: Date, delays: Delays, asked?: Date | null): Promise<boolean> {
    if (this.knowsNothingDue(now)) return false;
    const first = asked !== undefined ? asked : await repos.control.firstStepDueAt();
    if (!this.heard(first, now)) return false;
    return advanceDueRows(repos, now, delays);
  }
}

/** The kinds of rows with lazy steps, each in a table of its own. */
export type SteppedRow = 'loadBalancer' | 'endpointService' | 'vpcEndpoint';

/** What follows a state a row of `kind` enters on its own (a load balancer rests in `active`). */
function followUpOf(kind: SteppedRow, delays: Delays): FollowUp {
  if (kind === 'endpointService') return serviceFollowUp(delays);
  if (kind === 'vpcEndpoint') return endpointFollowUp(delays);
  return () => undefined;
}

/** When `advanced` entered `state` on its way, if it did. */
export function enteredAt(advanced: Pick<Advanced, 'entered'>, state: string): Date | undefined {
  return advanced.entered.find((e) => e.state === state)?.at;
}

/**
 * A row of `kind` an action gives `timing` at `now`, with its steps due at once applied in
 * memory, so that the action writes the row once, already past them (one statement, where
 * writing `timing` and then advanceDueRows takes three). Only when those steps touch nothing but
 * the row: a service entering `Available` records when (`enteredAt`, written with the row).
 * Undefined when a step has a side effect of its own (an endpoint entering `deleted` frees its
 * network interfaces, a purge removes the row): advanceDueRows applies those. Pure.
 */
export function settledAtOnce(kind: SteppedRow, timing: TimedState, now: Date, delays: Delays): Advanced | undefined {
  const next = advance(timing, now, followUpOf(kind, delays));
  const sideEffect = next.purged || (kind === 'vpcEndpoint' && enteredAt(next, 'deleted') !== undefined);
  return sideEffect ? undefined : next;
}

/**
 * Advances every row whose next step is due at `now` and persists the result, with the side
 * effects of the states entered: a service entering `Available` records when (the 503 window
 * starts there); an endpoint entering `deleted` frees its network interfaces; purged rows are
 * removed. Idempotent; call inside the request's transaction. `only`: look at those kinds of rows
 * alone (a request applying the steps it has just made due); the others are left for a later
 * request. Returns whether anything changed.
 */
export async function advanceDueRows(repos: Repositories, now: Date, delays: Delays, only?: ReadonlySet<SteppedRow>): Promise<boolean> {
  let changed = false;
  const looks = (kind: SteppedRow) => !only || only.has(kind);
  for (const lb of looks('loadBalancer') ? await repos.loadBalancers.dueLoadBalancers(now) : []) {
    await repos.loadBalancers.updateLoadBalancerTiming(lb.arn, advance(lb, now, followUpOf('loadBalancer', delays)));
    changed = true;
  }
  for (const service of looks('endpointService') ? await repos.endpoints.dueServices(now) : []) {
    const next = advance(service, now, followUpOf('endpointService', delays));
    if (next.purged) await repos.endpoints.deleteService(service.serviceId);
    else await repos.endpoints.updateServiceTiming(service.serviceId, next, enteredAt(next, 'Available'));
    changed = true;
  }
  for (const endpoint of looks('vpcEndpoint') ? await repos.endpoints.dueEndpoints(now) : []) {
    const next = advance(endpoint, now, followUpOf('vpcEndpoint', delays));
    if (next.purged || enteredAt(next, 'deleted') !== undefined) await repos.network.deleteInterfacesOfOwner(endpoint.vpcEndpointId);
    if (next.purged) await repos.endpoints.deleteEndpoint(endpoint.vpcEndpointId);
    else await repos.endpoints.updateEndpointTiming(endpoint.vpcEndpointId, next);
    changed = true;
  }
  return changed;
}
