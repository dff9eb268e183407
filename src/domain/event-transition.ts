/**
 * What privlink's own event payloads (webhooks, the live stream) carry beyond Atlas's event shape:
 * the object the event is about, its status before and after, and the sub-state the status stands
 * for while a user waits (e.g. "load balancer provisioning"). Atlas's events routes do not show it.
 */
export interface EventTransition {
  /** `CLUSTER`, `ENDPOINT_SERVICE`, `INTERFACE_ENDPOINT`, `SERVERLESS_INSTANCE`, `TENANT_ENDPOINT`, `PROJECT`, … */
  readonly objectType: string;
  readonly objectId: string | null;
  /** Status before the event; null when unknown (the object is new, or the event predates this record). */
  readonly oldStatus: string | null;
  /** Status after the event; null when the event is not a status change (e.g. a limit was updated). */
  readonly newStatus: string | null;
  readonly subState: string | null;
}

/** Event type prefixes → object types, longest first. */
const OBJECT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['REGIONALIZED_PRIVATE_ENDPOINT_MODE_', 'PROJECT'],
  ['PRIVATE_ENDPOINT_CONNECTION_STRINGS_', 'CONNECTION_STRINGS'],
  ['ENDPOINT_SERVICE_', 'ENDPOINT_SERVICE'],
  ['INTERFACE_ENDPOINT_', 'INTERFACE_ENDPOINT'],
  ['SERVERLESS_INSTANCE_', 'SERVERLESS_INSTANCE'],
  ['TENANT_ENDPOINT_', 'TENANT_ENDPOINT'],
  ['MONGODB_USER_', 'DATABASE_USER'],
  ['PROJECT_LIMIT_', 'PROJECT'],
  ['CLUSTER_', 'CLUSTER'],
  ['GROUP_', 'PROJECT'],
];

/** The status an event type leaves its object in, where the type says it. */
const NEW_STATUS: Readonly<Record<string, string>> = {
  CLUSTER_CREATED: 'CREATING',
  CLUSTER_READY: 'IDLE',
  CLUSTER_UPDATE_SUBMITTED: 'UPDATING',
  CLUSTER_DELETE_SUBMITTED: 'DELETING',
  CLUSTER_DELETED: 'DELETED',
  ENDPOINT_SERVICE_CREATED: 'INITIATING',
  ENDPOINT_SERVICE_AVAILABLE: 'AVAILABLE',
  ENDPOINT_SERVICE_FAILED: 'FAILED',
  ENDPOINT_SERVICE_DELETE_REQUESTED: 'DELETING',
  ENDPOINT_SERVICE_DELETED: 'DELETED',
  INTERFACE_ENDPOINT_CREATED: 'PENDING_ACCEPTANCE',
  INTERFACE_ENDPOINT_DELETE_REQUESTED: 'DELETING',
  INTERFACE_ENDPOINT_DELETED: 'DELETED',
  SERVERLESS_INSTANCE_CREATED: 'CREATING',
  SERVERLESS_INSTANCE_READY: 'IDLE',
  SERVERLESS_INSTANCE_DELETE_SUBMITTED: 'DELETING',
  SERVERLESS_INSTANCE_DELETED: 'DELETED',
  TENANT_ENDPOINT_CREATED: 'RESERVATION_REQUESTED',
  TENANT_ENDPOINT_RESERVED: 'RESERVED',
  TENANT_ENDPOINT_RESERVATION_FAILED: 'FAILED',
  TENANT_ENDPOINT_INITIATING: 'INITIATING',
  TENANT_ENDPOINT_AVAILABLE: 'AVAILABLE',
  TENANT_ENDPOINT_FAILED: 'FAILED',
  TENANT_ENDPOINT_DELETING: 'DELETING',
  TENANT_ENDPOINT_DELETED: 'DELETED',
  GROUP_CREATED: 'ACTIVE',
  GROUP_DELETED: 'DELETED',
};

/**
 * The sub-state a status stands for while the user waits: an endpoint service is INITIATING while
 * its load balancer is provisioned and then AVAILABLE awaiting the customer's endpoint; an interface
 * endpoint is PENDING_ACCEPTANCE / PENDING while privlink accepts its connection.
 */
export function subStateOf(objectType: string, status: string | null): string | null {
  const table: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    ENDPOINT_SERVICE: { INITIATING: 'load balancer provisioning', AVAILABLE: 'awaiting customer endpoint', DELETING: 'load balancer deleting' },
    INTERFACE_ENDPOINT: {
      PENDING_ACCEPTANCE: 'accepting connection',
      PENDING: 'accepting connection',
      INITIATING: 'accepting connection',
      AVAILABLE: 'connected',
      DELETING: 'removing connection',
    },
    TENANT_ENDPOINT: { RESERVATION_REQUESTED: 'reserving endpoint service', RESERVED: 'awaiting customer endpoint', INITIATING: 'accepting connection', AVAILABLE: 'connected' },
    CLUSTER: { CREATING: 'provisioning nodes', UPDATING: 'applying changes' },
    SERVERLESS_INSTANCE: { CREATING: 'provisioning' },
  };
  return status === null ? null : (table[objectType]?.[status] ?? null);
}

/**
 * The transition of an event: what the recorder said (`given`), completed from the event type and
 * payload (an INTERFACE_ENDPOINT_STATUS_CHANGED payload carries `from` and `to`).
 */
export function eventTransition(
  type: string,
  targetId: string | null,
  payload: Readonly<Record<string, unknown>>,
  given?: Partial<Pick<EventTransition, 'oldStatus' | 'newStatus' | 'subState'>> | null,
): EventTransition {
  const objectType = OBJECT_TYPES.find(([prefix]) => type.startsWith(prefix))?.[1] ?? 'OTHER';
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const oldStatus = given?.oldStatus ?? text(payload.from);
  const newStatus = given?.newStatus ?? text(payload.to) ?? NEW_STATUS[type] ?? null;
  return { objectType, objectId: targetId, oldStatus, newStatus, subState: given?.subState ?? subStateOf(objectType, newStatus) };
}
