import { databaseUsersRoutes } from './routes/database-users.routes.js';
import type { ApiFlavour } from '../api-flavour.js';
import type { Authenticator } from './authenticate.js';
import { errorEnvelope, sendAtlasError } from './error-envelope.js';
import { routeRegistrar } from './route-registrar.js';
import { accessListRoutes } from './routes/access-list.routes.js';
import { clustersRoutes, type ConnectionStringsOf } from './routes/clusters.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { identityRoutes } from './routes/identity.routes.js';
import { providerCapacityRoutes } from './routes/provider-capacity.routes.js';
import { consoleUsersRoutes } from './routes/console-users.routes.js';
import { simulatedNodesRoutes } from './routes/simulated-nodes.routes.js';
import { privateEndpointsRoutes } from './routes/private-endpoints.routes.js';
import { serverlessRoutes } from './routes/serverless.routes.js';
import { webhooksRoutes } from './routes/webhooks.routes.js';

export interface AtlasFlavourOptions {
  /** Digest authentication against API keys. */
  readonly authenticator: Authenticator;
  /** Connection strings of a cluster, for the cluster bodies. */
  readonly connectionStrings: ConnectionStringsOf;
}

/**
 * Atlas's Admin API: `/api/atlas/v1.0` and `/api/atlas/v2` (vnd versioning), HTTP Digest with
 * API keys, Atlas's error envelope `{detail, error, errorCode, parameters, reason}`.
 */
export function atlasFlavour(options: AtlasFlavourOptions): ApiFlavour {
  return {
    prefix: '/api/atlas',
    register(app, { ctx, baseUrl }) {
      const registrar = routeRegistrar(app, ctx, options.authenticator, baseUrl);
      identityRoutes(registrar, options.authenticator);
      clustersRoutes(registrar, options.connectionStrings);
      privateEndpointsRoutes(registrar);
      serverlessRoutes(registrar);
      eventsRoutes(registrar);
      databaseUsersRoutes(registrar);
      providerCapacityRoutes(registrar);
      accessListRoutes(registrar);
      simulatedNodesRoutes(registrar);
      webhooksRoutes(registrar);
      consoleUsersRoutes(registrar);
      return { allowedMethods: (path) => registrar.allowedMethods(path) };
    },
    sendError: sendAtlasError,
    errorBody: errorEnvelope,
  };
}
