import { DEFAULT_TOKEN_LIFETIMES, type TokenLifetimes } from '../../app/appservices-sessions.service.js';
import type { CredentialsLookup } from '../../app/authentication.service.js';
import type { ConsoleSessions } from '../../app/console-sessions.service.js';
import type { ApiFlavour } from '../api-flavour.js';
import { authenticateAppServices } from './authenticate.js';
import { appServicesErrorBody, sendAppServicesError } from './error-shape.js';
import { appServicesRegistrar } from './route-registrar.js';
import { appsRoutes } from './routes/apps.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { securityRoutes } from './routes/security.routes.js';

export interface AppServicesFlavourOptions {
  /** Finds an Atlas API key by its public key (login, and each token's key and roles). */
  readonly credentials: CredentialsLookup;
  /** Token lifetimes (default: access 30 minutes, refresh 60 days). */
  readonly tokenLifetimes?: TokenLifetimes;
  /** Web console sessions: with them, a request with the console's cookie and no `Authorization` acts as the session's key. */
  readonly consoleSessions?: ConsoleSessions;
}

/**
 * The App Services Admin API (v3): `/api/admin/v3.0`, Bearer tokens from a login with the Atlas
 * API key pair (or the web console's session), App Services' snake_case bodies and its error shape `{error, error_code}`. The
 * Atlas project roles decide access: Project Owner writes, any project role reads.
 */
export function appServicesFlavour(options: AppServicesFlavourOptions): ApiFlavour {
  const prefix = '/api/admin/v3.0';
  const lifetimes = options.tokenLifetimes ?? DEFAULT_TOKEN_LIFETIMES;
  return {
    prefix,
    register(app, { ctx }) {
      const routes = appServicesRegistrar(app, ctx, prefix, (method, authorization, browser) =>
        authenticateAppServices(ctx, options.credentials, options.consoleSessions, method, authorization, browser),
      );
      authRoutes(routes, options.credentials, lifetimes);
      appsRoutes(routes);
      securityRoutes(routes);
      return { allowedMethods: (path) => routes.allowedMethods(path) };
    },
    sendError: sendAppServicesError,
    errorBody: appServicesErrorBody,
  };
}
