/**
 * The reconcile queue's vocabulary, shared by the use cases (which enqueue) and the reconcilers
 * (which do the work): one kind per reconciled resource, and how its key is written.
 */

/** A cluster; key: the cluster id. */
export const CLUSTER_WORK = 'cluster';
/** An endpoint service; key: its id. */
export const ENDPOINT_SERVICE_WORK = 'endpoint-service';
/** An interface endpoint; key: `<endpoint service id>/<endpoint id>` (see interfaceEndpointKey). */
export const INTERFACE_ENDPOINT_WORK = 'interface-endpoint';

/** A serverless instance; key: its id. */
export const SERVERLESS_INSTANCE_WORK = 'serverless-instance';
/** A serverless instance's private endpoint (with its reserved endpoint service); key: its `_id`. */
export const SERVERLESS_ENDPOINT_WORK = 'serverless-endpoint';

/** The channel on which "there is reconcile work" is announced to every process sharing the store. */
export const WORK_CHANNEL = 'privlink_work';

/** The queue key of an interface endpoint. */
export function interfaceEndpointKey(serviceId: string, endpointId: string): string {
  return `${serviceId}/${endpointId}`;
}

/** Splits an interface endpoint key; the endpoint id may itself hold slashes (Azure resource ids). */
export function parseInterfaceEndpointKey(key: string): { serviceId: string; endpointId: string } {
  const slash = key.indexOf('/');
  return { serviceId: key.slice(0, slash), endpointId: key.slice(slash + 1) };
}

/** An App Services endpoint service (one per project, AWS region and endpoint type) with its apps' private endpoints' connections; key: its id. */
export const APPSERVICES_ENDPOINT_SERVICE_WORK = 'appservices-endpoint-service';
