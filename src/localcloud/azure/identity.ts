import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ArmAnswer } from './arm-request.js';
import { armErrors } from './arm-error.js';
import type { AzureAccount } from './store/control.repository.js';
import { NUL_REFUSED } from '../common/nul-character.js';
import type { AzureRepositories } from './store/repositories.js';
import type { VerifiedTokens } from '../common/verified-tokens.js';

/** Access tokens live an hour, as Microsoft Entra ID's client-credentials tokens do. */
export const TOKEN_LIFETIME_S = 3600;

/** The stored form of a token: its SHA-256 (the token itself is never stored). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Microsoft Entra ID's answer to a request it cannot read (AADSTS9002313), here one carrying a NUL (common/nul-character.ts). */
export function malformedIdentityRequest(): ArmAnswer {
  return aadError(400, 'invalid_request', 9002313, `Invalid request. Request is malformed or invalid. ${NUL_REFUSED}`);
}

function aadError(status: number, error: string, code: number, description: string): ArmAnswer {
  const now = new Date();
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    headers: {},
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${now.toISOString().replace('T', ' ').replace('Z', 'Z')}`,
      error_codes: [code],
      timestamp: now.toISOString().replace('T', ' '),
      trace_id: traceId,
      correlation_id: correlationId,
    },
    holdMs: 0,
  };
}

function tenantNotFound(tenant: string): ArmAnswer {
  return aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
}

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`: the four endpoints MSAL checks
 * (authorization_endpoint, token_endpoint, issuer, jwks_uri) under the emulator's own URL.
 */
export async function answerOpenIdConfiguration(repos: AzureRepositories, baseUrl: string, tenant: string): Promise<ArmAnswer> {
  if (!(await repos.control.tenantExists(tenant))) return tenantNotFound(tenant);
  const base = `${baseUrl}/${tenant}`;
  return {
    status: 200,
    headers: {},
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: 'NA',
      cloud_instance_name: 'privlink.local',
    },
    holdMs: 0,
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /{tenant}/oauth2/v2.0/token`, client-credentials grant (form body). Any scope is
 * accepted. Errors as Microsoft Entra ID answers them: an unknown tenant AADSTS90002; another
 * grant AADSTS70003; an app not registered in that tenant 400 `unauthorized_client`
 * AADSTS700016; a missing secret 401 AADSTS7000216; a wrong secret 401 `invalid_client`
 * AADSTS7000215. The token is an opaque random string bound to (tenant, client), stored hashed.
 */
export async function answerToken(repos: AzureRepositories, tenant: string, body: Buffer, now: Date): Promise<ArmAnswer> {
  if (!(await repos.control.tenantExists(tenant))) return tenantNotFound(tenant);
  const form = new URLSearchParams(body.toString('utf8'));
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }
  const clientId = form.get('client_id') ?? '';
  const account = clientId ? await repos.control.findAccountByClientId(clientId) : undefined;
  if (!account || account.tenantId !== tenant) {
    return aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get('client_secret');
  if (!secret) return aadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
  if (!sameSecret(secret, account.clientSecret)) {
    return aadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
  }
  await repos.control.forgetTokens(new Date(now.getTime() - TOKEN_LIFETIME_S * 1000));
  const token = randomBytes(32).toString('base64url');
  await repos.control.saveToken(tokenHash(token), tenant, clientId, new Date(now.getTime() + TOKEN_LIFETIME_S * 1000));
  return { status: 200, headers: {}, body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: token }, holdMs: 0 };
}

/**
 * The principal behind an ARM request's `Authorization: Bearer` header. Throws 401
 * AuthenticationFailed (missing or malformed header), InvalidAuthenticationToken (unknown token),
 * ExpiredAuthenticationToken. Expiry is measured on the wall clock.
 */
export async function authenticate(repos: AzureRepositories, header: string | string[] | undefined, now: Date, verified?: VerifiedTokens<AzureAccount>): Promise<AzureAccount> {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw armErrors.authenticationMissing();
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  if (!match) throw armErrors.authenticationMalformed();
  const hash = tokenHash(match[1]!);
  const known = verified?.find(hash);
  if (known) {
    if (known.expiresAt.getTime() <= now.getTime()) throw armErrors.expiredToken(known.expiresAt, now);
    return known.principal;
  }
  const stored = await repos.control.findToken(hash);
  if (!stored) throw armErrors.invalidToken();
  if (stored.expiresAt.getTime() <= now.getTime()) throw armErrors.expiredToken(stored.expiresAt, now);
  const account = await repos.control.findAccountByClientId(stored.clientId);
  if (!account || account.tenantId !== stored.tenantId) throw armErrors.invalidToken();
  verified?.remember(hash, account, stored.expiresAt);
  return account;
}
