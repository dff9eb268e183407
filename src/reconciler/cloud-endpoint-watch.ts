import type { CloudProvider } from '../domain/regions.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { enqueueChangedEndpoints } from './endpoint-change-enqueue.js';

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
  private last: Map<string, CloudEndpointState> | undefined;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  async observe(endpoints: readonly CloudEndpointState[]): Promise<void> {
    const now = new Map(endpoints.map((e) => [e.endpointId, e]));
    const previous = this.last;
    this.last = now;
    if (!previous) return;
    const changed: CloudEndpointState[] = [];
    for (const [id, state] of now) {
      const before = previous.get(id);
      if (!before || before.state !== state.state || before.forwarding !== state.forwarding) changed.push(state);
    }
    for (const [id, state] of previous) if (!now.has(id)) changed.push({ ...state, state: 'absent', forwarding: false });
    if (changed.length === 0) return;
    try {
      await enqueueChangedEndpoints(this.store, this.log, changed);
    } catch (error) {
      this.log.warn('could not enqueue the endpoints a cloud change concerns (the resync will)', { error: (error as Error).message });
    }
  }
}
