import type { AppRecord } from './appservices-app.js';
import type { AppEndpointRecord, AppEndpointType } from './appservices-endpoint.js';

/**
 * The port of the App Services endpoint services' load balancers (client HTTP and Sync WebSockets,
 * plain HTTP in the local cloud): customers reach `http://<endpoint address>:8080`.
 */
export const APP_SERVICES_PORT = 8080;

/** What the App Services front end does with one client request (HTTP or Sync). */
export type AppTrafficAnswer =
  | { readonly serve: true; readonly deploymentModel: string; readonly location: string; readonly providerRegion: string; readonly viaEndpoint: boolean }
  | { readonly serve: false; readonly reason: string };

/**
 * Who may reach an app, as App Services documents private endpoints (pure):
 *
 * | request arrives                                          | app restricted (default) | allow_non_vpc_client_requests |
 * |----------------------------------------------------------|--------------------------|-------------------------------|
 * | through an AVAILABLE endpoint of the app, of the right type (general: HTTP, sync: Sync) | served, IP access list ignored | served |
 * | any other way (public internet, another app's endpoint, the wrong type, a rejected or invalidated endpoint) | 404 | served |
 *
 * An app without private endpoints is served from anywhere. An unknown `client_app_id` is 404.
 */
export function decideAppTraffic(
  app: AppRecord | undefined,
  endpoints: readonly AppEndpointRecord[],
  via: { readonly endpointId?: string | undefined },
  channel: AppEndpointType,
): AppTrafficAnswer {
  if (!app) return { serve: false, reason: 'app not found' };
  const served = { serve: true as const, deploymentModel: app.deploymentModel, location: app.location, providerRegion: app.providerRegion };
  const through = via.endpointId ? endpoints.find((e) => e.cloudProviderEndpointId === via.endpointId) : undefined;
  if (through && through.status === 'AVAILABLE' && through.endpointType === channel) return { ...served, viaEndpoint: true };
  const restricted = endpoints.some((e) => e.status !== 'INVALIDATED') && !app.allowNonVpcClientRequests;
  if (!restricted) return { ...served, viaEndpoint: false };
  return { serve: false, reason: "requests from outside the app's private endpoints are not allowed" };
}
