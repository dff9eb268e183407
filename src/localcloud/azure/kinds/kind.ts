import { randomUUID } from 'node:crypto';
import type { AzureDelays } from '../delays.js';
import type { AzureAccount } from '../store/control.repository.js';
import type { AzureRepositories } from '../store/repositories.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';

/** What a resource kind sees of the request it serves: the store (in the request's transaction), the clock, the caller. */
export interface ArmContext {
  readonly repos: AzureRepositories;
  readonly now: Date;
  readonly delays: AzureDelays;
  /** The authenticated service principal. */
  readonly principal: AzureAccount;
}

/** Where a PUT writes: the resource's id and names, its resolved location, and its parent (child kinds). */
export interface WriteTarget {
  readonly id: string;
  readonly key: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly resourceGroupKey: string;
  readonly name: string;
  readonly location: string;
  readonly parent: ResourceRow | undefined;
}

/**
 * One ARM resource type the emulator serves. The generic handler (resource-handler.ts) does
 * routing, existence, AnotherOperationInProgress, provisioning states and long-running
 * operations; a kind validates bodies, computes read-only properties and keeps its side effects
 * (IP addresses, child rows, private endpoint connections) consistent.
 */
export interface ResourceKind {
  /** Full ARM type, e.g. `Microsoft.Network/virtualNetworks`. */
  readonly type: string;
  /** The URL segment, as ARM spells it (`virtualNetworks`, `subnets`). */
  readonly segment: string;
  /** The parent's full type, for child resources. */
  readonly parentType?: string;
  /** Operation-id prefix (fault switches and docs name operations `VirtualNetworks_CreateOrUpdate`). */
  readonly operations: {
    readonly get: string;
    readonly list: string;
    readonly put: string;
    readonly delete: string;
    /** `PATCH {tags}` (ARM's `…_UpdateTags`): present on the kinds whose tags can be replaced alone. */
    readonly updateTags?: string;
  };
  /** PUT allowed (false: read-only, created as a side effect). */
  readonly writable: boolean;
  /** PUT answers as a long-running operation (201/200 + Azure-AsyncOperation); false: synchronous 200. */
  readonly longRunning: boolean;
  /** How long a PUT leaves the resource `Updating`. */
  provisioningDelay(delays: AzureDelays): number;
  /**
   * Validates a PUT body against the current state and returns the `properties` document to
   * store, making its side effects (allocations, child rows). Throws ArmError for a bad request;
   * the transaction then rolls back whatever it did.
   */
  write(ctx: ArmContext, target: WriteTarget, body: JsonObject, existing: ResourceRow | undefined): Promise<JsonObject>;
  /** Top-level members besides properties (a load balancer's `sku`). */
  topLevel?(row: ResourceRow): JsonObject;
  /** The `properties` of the wire body (without provisioningState, which the handler adds). */
  properties(ctx: ArmContext, row: ResourceRow): Promise<JsonObject>;
  /** Refuses a DELETE that would break another resource (throws ArmError). */
  beforeDelete?(ctx: ArmContext, row: ResourceRow): Promise<void>;
  /** Side effects of the resource vanishing (after its DELETE completes): children, addresses, connections. */
  purge(ctx: ArmContext, row: ResourceRow): Promise<void>;
}

/** A new weak etag, as Microsoft.Network writes them. */
export function newEtag(): string {
  return `W/"${randomUUID()}"`;
}

/** The wire shape of a child object inside a resource (frontends, rules, pools): name, id, etag, type, properties. */
export function childObject(parentId: string, parentType: string, collection: string, name: string, etag: string, provisioningState: string, properties: JsonObject): JsonObject {
  return {
    name,
    id: `${parentId}/${collection}/${name}`,
    etag,
    type: `${parentType}/${collection}`,
    properties: { provisioningState, ...properties },
  };
}

/** Renders a stored row in ARM wire shape: name, id, etag, type, location and tags (top-level only), properties. */
export async function renderRow(ctx: ArmContext, kind: ResourceKind, row: ResourceRow): Promise<JsonObject> {
  const properties = await kind.properties(ctx, row);
  const out: JsonObject = { name: row.name, id: row.id, etag: row.etag, type: row.type };
  if (!kind.parentType) {
    out.location = row.location ?? '';
    if (Object.keys(row.tags).length > 0) out.tags = row.tags;
  }
  if (kind.topLevel) Object.assign(out, kind.topLevel(row));
  out.properties = { provisioningState: row.provisioningState, ...properties };
  return out;
}
