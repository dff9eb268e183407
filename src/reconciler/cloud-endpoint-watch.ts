import type { CloudProvider } from '../domain/regions.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { ACCEPT_RECHECK_MS, enqueueChangedEndpoints, type ChangedCloudEndpoint } from './endpoint-change-enqueue.js';

/** A customer-side endpoint as a cloud change feed reports it (neutral: AWS VPC endpoint, Azure private endpoint). */
export interface CloudEndpointState {
  readonly cloud: CloudProvider;
  readonly endpointId: string;
  /** The cloud's own state word (AWS `available`, `deleting`, …). */
  readonly state: string;
  readonly forwarding: boolean;
}

/**
 * Turns the cloud's announcements about customer endpoints into reconcile work at once, instead
 * of waiting for the periodic resync: each call gets every customer endpoint the cloud has now;
 * for each one whose state changed since the last call, or that vanished, the interface endpoint
 * and serverless private endpoint registered under its id are enqueued and the work channel is
 * notified (every replica wakes). So a customer who deletes or changes their endpoint on the
 * cloud side sees the registration's status follow within the reconciler's wake-up time.
 *
 * The first call only takes a baseline (a start enqueues everything anyway). Calls must not
 * overlap (the caller's feed serialises them). Never throws: a failure is logged, and the
 * periodic resync remains the fallback. Not (yet) for GCP endpoint groups, whose registered id
 * names no single forwarding rule: they follow the resync.
 */
export class CloudEndpointWatch {
  private last: EndpointStates | undefined;
  /** Changes an accepting pass is likely making, looked at again once `ACCEPT_RECHECK_MS` has passed. */
  private recheck: ChangedCloudEndpoint[] = [];
  private recheckTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /**
   * `endpoints`: every customer endpoint the cloud has now, never changed afterwards. `edit`, when
   * the feed knows it: `endpoints` is `edit.from` without `edit.removed`, with `edit.changed` put in
   * (changed in place or added); if `edit.from` is the list observed last, only those are compared.
   */
  async observe(endpoints: Iterable<CloudEndpointState>, edit?: EndpointListEdit): Promise<void> {
    const previous = this.last;
    const { states, changed } = endpointChanges(previous, endpoints, edit);
    this.last = states;
    if (!previous || changed.length === 0) return;
    await this.enqueue(changed, this.defer);
  }

  /** Stops the pending re-check (at shutdown); what it held is left to the work queue and the resync. */
  stop(): void {
    clearTimeout(this.recheckTimer);
    this.recheckTimer = undefined;
    this.recheck = [];
  }

  private readonly defer = (endpoint: ChangedCloudEndpoint): void => {
    this.recheck.push(endpoint);
    this.recheckTimer ??= setTimeout(() => {
      const due = this.recheck;
      this.recheck = [];
      this.recheckTimer = undefined;
      void this.enqueue(due);
    }, ACCEPT_RECHECK_MS).unref();
  };

  private async enqueue(changed: readonly ChangedCloudEndpoint[], defer?: (endpoint: ChangedCloudEndpoint) => void): Promise<void> {
    try {
      await enqueueChangedEndpoints(this.store, this.log, changed, defer);
    } catch (error) {
      this.log.warn('could not enqueue the endpoints a cloud change concerns (the resync will)', { error: (error as Error).message });
    }
  }
}

/** How a feed's endpoint list was made from the one before it (see CloudEndpointWatch.observe). */
export interface EndpointListEdit {
  readonly from: Iterable<CloudEndpointState>;
  readonly changed: readonly CloudEndpointState[];
  /** Endpoints of `from` that are not in the list (none when absent). */
  readonly removed?: readonly CloudEndpointState[];
}

/** The endpoints of the list last observed, by id, and that list. */
export interface EndpointStates {
  readonly list: Iterable<CloudEndpointState>;
  readonly byId: Map<string, CloudEndpointState>;
}

/**
 * The endpoints whose state or forwarding differs from `previous` (a vanished one as `absent`),
 * and the states to keep for the next call. The very list observed last (a picture in which only
 * other collections changed: lists are never changed once handed out) is no change, whatever edit
 * is noted beside it. With an `edit` made from `previous.list` only the edited endpoints are
 * looked at and `previous`'s map is brought up to date in place (it belongs to the caller's last
 * call); otherwise every endpoint is. Pure but for that map.
 */
export function endpointChanges(
  previous: EndpointStates | undefined,
  endpoints: Iterable<CloudEndpointState>,
  edit?: EndpointListEdit,
): { states: EndpointStates; changed: CloudEndpointState[] } {
  const changed: CloudEndpointState[] = [];
  if (previous && endpoints === previous.list) return { states: previous, changed };
  if (previous && edit && edit.from === previous.list) {
    for (const state of edit.removed ?? []) {
      const before = previous.byId.get(state.endpointId);
      if (!before || !previous.byId.delete(state.endpointId)) continue;
      changed.push({ ...before, state: 'absent', forwarding: false });
    }
    for (const state of edit.changed) {
      if (moved(previous.byId.get(state.endpointId), state)) changed.push(state);
      previous.byId.set(state.endpointId, state);
    }
    return { states: { list: endpoints, byId: previous.byId }, changed };
  }
  const byId = new Map(Array.from(endpoints, (e) => [e.endpointId, e]));
  if (previous) {
    for (const [id, state] of byId) if (moved(previous.byId.get(id), state)) changed.push(state);
    for (const [id, state] of previous.byId) if (!byId.has(id)) changed.push({ ...state, state: 'absent', forwarding: false });
  }
  return { states: { list: endpoints, byId }, changed };
}

/** Whether an endpoint is new or its state or forwarding differs from what was seen before. */
function moved(before: CloudEndpointState | undefined, now: CloudEndpointState): boolean {
  return !before || before.state !== now.state || before.forwarding !== now.forwarding;
}
