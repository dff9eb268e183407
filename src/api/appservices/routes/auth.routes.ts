import { login, refreshSession, deleteSession, type TokenLifetimes } from '../../../app/appservices-sessions.service.js';
import type { CredentialsLookup } from '../../../app/authentication.service.js';
import { apiError } from '../../../domain/errors.js';
import type { AppServicesRegistrar } from '../route-registrar.js';

/** Login with the Atlas API key pair, session refresh and logout. */
export function authRoutes(routes: AppServicesRegistrar, lookup: CredentialsLookup, lifetimes: TokenLifetimes): void {
  routes.route(
    'POST',
    '/auth/providers/mongodb-cloud/login',
    async ({ ctx, body }) => {
      const input = (body ?? {}) as Record<string, unknown>;
      if (typeof input.username !== 'string' || typeof input.apiKey !== 'string') throw apiError('APP_INVALID_FIELD', 'login', 'username and apiKey are required');
      return { status: 200, body: await login(ctx, lookup, input.username, input.apiKey, lifetimes) };
    },
    { auth: 'none', body: true },
  );
  routes.route('POST', '/auth/session', async ({ ctx, authorization }) => ({ status: 201, body: await refreshSession(ctx, lookup, authorization, lifetimes) }), { auth: 'none' });
  routes.route(
    'DELETE',
    '/auth/session',
    async ({ ctx, authorization }) => {
      await deleteSession(ctx, authorization);
      return { status: 204 };
    },
    { auth: 'none' },
  );
}
