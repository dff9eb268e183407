import type { AppEndpointType } from '../domain/appservices-endpoint.js';
import { decideAppTraffic, type AppTrafficAnswer, type AppTrafficVia } from '../domain/appservices-traffic.js';
import type { Repositories } from '../store/repositories.js';

/**
 * Whether the App Services front end serves a request for `clientAppId` arriving through
 * `via.endpointId` (the `vpce-…` the load balancer's PROXY v2 header named, or none) on `channel`
 * (`general` for client HTTP, `sync` for Sync WebSockets) from `via.clientAddress` (checked against
 * the app's IP access list when the request does not come through one of its private endpoints).
 * Read-only; asked by the data plane.
 */
export async function appTrafficAccess(repos: Repositories, clientAppId: string, via: AppTrafficVia, channel: AppEndpointType): Promise<AppTrafficAnswer> {
  const app = await repos.appServicesApps.findByClientAppId(clientAppId);
  const endpoints = app ? await repos.appServicesEndpoints.listByApp(app.id) : [];
  const accessList = app ? await repos.appServicesAccessList.listByApp(app.id) : [];
  return decideAppTraffic(app, endpoints, accessList, via, channel);
}
