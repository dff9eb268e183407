import { accessListAdmits, type AppAccessEntry } from './appservices-access-list.js';
import type { AppRecord } from './appservices-app.js';
import type { AppEndpointRecord, AppEndpointType } from './appservices-endpoint.js';

/**
 * The port of the App Services endpoint services' load balancers (client HTTP and Sync WebSockets,
 * plain HTTP in the local cloud): customers reach `http://<endpoint address>:8080`.
 */
export const APP_SERVICES_PORT = 8080;

/**
 * What the App Services front end does with one client request (HTTP or Sync). A refusal carries
 * its HTTP status: 404 for a request from outside the private endpoints of a restricted app, 403
 * for a client the app's IP access list does not admit.
 */
export type AppTrafficAnswer =
  | { readonly serve: true; readonly deploymentModel: string; readonly location: string; readonly providerRegion: string; readonly viaEndpoint: boolean }
  | { readonly serve: false; readonly status: 403 | 404; readonly reason: string };

/** How a request arrived: the `vpce-…` its PROXY v2 header named (if any), and the client's address. */
export interface AppTrafficVia {
  readonly endpointId?: string | undefined;
  readonly clientAddress?: string | undefined;
}

/**
 * Who may reach an app, as App Services documents private endpoints and the IP access list (pure):
 *
 * | request arrives                                          | app restricted (default) | allow_non_vpc_client_requests |
 * |----------------------------------------------------------|--------------------------|-------------------------------|
 * | through an AVAILABLE endpoint of the app, of the right type (general: HTTP, sync: Sync) | served, IP access list ignored | served, IP access list ignored |
 * | any other way (public internet, another app's endpoint, the wrong type, a rejected or invalidated endpoint) | 404 | served if the IP access list admits the client, else 403 |
 *
 * An app without private endpoints (or with invalidated ones only) is unrestricted: its IP access
 * list decides. An empty list admits nobody; `0.0.0.0/0` (every new app's entry) admits everybody.
 * An unknown `client_app_id` is 404.
 */
export function decideAppTraffic(
  app: AppRecord | undefined,
  endpoints: readonly AppEndpointRecord[],
  accessList: readonly Pick<AppAccessEntry, 'address'>[],
  via: AppTrafficVia,
  channel: AppEndpointType,
): AppTrafficAnswer {
  if (!app) return { serve: false, status: 404, reason: 'app not found' };
  const served = { serve: true as const, deploymentModel: app.deploymentModel, location: app.location, providerRegion: app.providerRegion };
  const through = via.endpointId ? endpoints.find((e) => e.cloudProviderEndpointId === via.endpointId) : undefined;
  if (through && through.status === 'AVAILABLE' && through.endpointType === channel) return { ...served, viaEndpoint: true };
  const restricted = endpoints.some((e) => e.status !== 'INVALIDATED') && !app.allowNonVpcClientRequests;
  if (restricted) return { serve: false, status: 404, reason: "requests from outside the app's private endpoints are not allowed" };
  if (!accessListAdmits(accessList, via.clientAddress)) {
    return { serve: false, status: 403, reason: `IP address ${via.clientAddress ?? '(unknown)'} is not in the app's IP access list` };
  }
  return { ...served, viaEndpoint: false };
}
