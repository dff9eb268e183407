/**
 * Private Service Connect connection status: what a consumer's PSC forwarding rule (and the
 * attachment's `connectedEndpoints` entry for it) shows, decided from the service attachment's
 * connection policy. A pure decision table, evaluated when the rule is created, when the
 * attachment's policy changes and when the attachment is deleted:
 *
 * | attachment | current status        | reconcileConnections | consumer                         | status   |
 * |------------|-----------------------|----------------------|----------------------------------|----------|
 * | deleted    | any                   | –                    | –                                | CLOSED   |
 * | exists     | CLOSED                | –                    | –                                | CLOSED   |
 * | exists     | ACCEPTED or REJECTED  | false                | –                                | unchanged|
 * | exists     | new, PENDING, or any with reconcile true | –  | on the reject list               | REJECTED |
 * |            |                       |                      | ACCEPT_AUTOMATIC                 | ACCEPTED |
 * |            |                       |                      | ACCEPT_MANUAL, accept list, under its connectionLimit | ACCEPTED |
 * |            |                       |                      | ACCEPT_MANUAL, accept list, limit reached | PENDING |
 * |            |                       |                      | ACCEPT_MANUAL, not on the accept list | PENDING |
 *
 * Google's reference for `reconcileConnections`: "If false, connection policy update will only
 * affect existing PENDING PSC endpoints. Existing ACCEPTED/REJECTED endpoints will remain
 * untouched regardless how the connection policy is modified. […] For newly created service
 * attachment, this boolean defaults to false." A project on the reject list is rejected even when
 * it is also on the accept list.
 */
export type PscStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'CLOSED';

/** An entry of `consumerAcceptLists`: a project (id or number) or a network, with a limit of connections (0 = none). */
export interface AcceptEntry {
  readonly projectIdOrNum?: string;
  /** A network path (`projects/p/global/networks/n`). */
  readonly networkUrl?: string;
  readonly connectionLimit: number;
}

/** The attachment's connection policy. */
export interface ConnectionPolicy {
  readonly connectionPreference: 'ACCEPT_AUTOMATIC' | 'ACCEPT_MANUAL';
  readonly acceptList: readonly AcceptEntry[];
  /** Project ids or numbers, or network paths. */
  readonly rejectList: readonly string[];
  readonly reconcileConnections: boolean;
}

/** Who connects: the forwarding rule's project and network. */
export interface Consumer {
  readonly projectId: string;
  /** Undefined when the project is not one the emulator knows. */
  readonly projectNumber: string | undefined;
  readonly network: string;
}

function matches(consumer: Consumer, idOrNumOrNetwork: string | undefined): boolean {
  if (!idOrNumOrNetwork) return false;
  return idOrNumOrNetwork === consumer.projectId || idOrNumOrNetwork === consumer.projectNumber || idOrNumOrNetwork === consumer.network;
}

/** The accept-list entry that admits the consumer, if any (network entries first, as they are narrower). */
export function acceptEntryFor(policy: ConnectionPolicy, consumer: Consumer): AcceptEntry | undefined {
  return policy.acceptList.find((e) => matches(consumer, e.networkUrl)) ?? policy.acceptList.find((e) => matches(consumer, e.projectIdOrNum));
}

/**
 * The status of a consumer's connection (see the table above). `acceptedUnderEntry` counts the
 * other ACCEPTED connections admitted by the same accept-list entry (for `connectionLimit`).
 */
export function decideConnection(policy: ConnectionPolicy | undefined, consumer: Consumer, current: PscStatus | undefined, acceptedUnderEntry: number): PscStatus {
  if (!policy || current === 'CLOSED') return 'CLOSED';
  if ((current === 'ACCEPTED' || current === 'REJECTED') && !policy.reconcileConnections) return current;
  if (policy.rejectList.some((r) => matches(consumer, r))) return 'REJECTED';
  if (policy.connectionPreference === 'ACCEPT_AUTOMATIC') return 'ACCEPTED';
  const entry = acceptEntryFor(policy, consumer);
  if (!entry) return 'PENDING';
  return entry.connectionLimit > 0 && acceptedUnderEntry >= entry.connectionLimit ? 'PENDING' : 'ACCEPTED';
}
