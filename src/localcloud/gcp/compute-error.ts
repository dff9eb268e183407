import { valueAsText } from '../common/value-as-text.js';

/**
 * The errors the emulated Compute Engine API answers, in its wire shape
 * `{"error":{"code":404,"message":"…","errors":[{"message":"…","domain":"global","reason":"notFound"}]}}`.
 * One catalogue: every error the emulator sends is made by a function below, with Compute's HTTP
 * status, `reason` and message wording.
 */
export class ComputeError extends Error {
  override readonly name = 'ComputeError';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    /** Extra fields of the error entry (location, locationType for authentication errors). */
    readonly extra: Readonly<Record<string, string>> = {},
    /** The google.rpc status word some errors carry (UNAUTHENTICATED, RESOURCE_EXHAUSTED). */
    readonly rpcStatus?: string,
  ) {
    super(message);
  }

  /** The error body. */
  body(): { error: { code: number; message: string; errors: Array<Record<string, string>>; status?: string } } {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason, ...this.extra }],
        ...(this.rpcStatus ? { status: this.rpcStatus } : {}),
      },
    };
  }
}

export function isComputeError(error: unknown): error is ComputeError {
  return error instanceof ComputeError;
}

const AUTH_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export const computeErrors = {
  unauthenticated: () =>
    new ComputeError(
      401,
      'required',
      `Request is missing required authentication credential. ${AUTH_HELP}`,
      { location: 'Authorization', locationType: 'header' },
      'UNAUTHENTICATED',
    ),
  invalidCredentials: () =>
    new ComputeError(401, 'authError', `Request had invalid authentication credentials. ${AUTH_HELP}`, { location: 'Authorization', locationType: 'header' }, 'UNAUTHENTICATED'),
  /** The caller's project is not the one named (IAM: no permission there). */
  forbidden: (permission: string, resource: string) => new ComputeError(403, 'forbidden', `Required '${permission}' permission for '${resource}'`),
  notFound: (resource: string) => new ComputeError(404, 'notFound', `The resource '${resource}' was not found`),
  notReady: (resource: string) => new ComputeError(400, 'resourceNotReady', `The resource '${resource}' is not ready`),
  alreadyExists: (resource: string) => new ComputeError(409, 'alreadyExists', `The resource '${resource}' already exists`),
  inUse: (kind: string, resource: string, user: string) =>
    new ComputeError(400, 'resourceInUseByAnotherResource', `The ${kind} resource '${resource}' is already being used by '${user}'`),
  ipInUse: (ip: string) => new ComputeError(409, 'conflict', `IP_IN_USE_BY_ANOTHER_RESOURCE - IP '${ip}' is already being used by another resource.`),
  ipSpaceExhausted: (subnet: string) => new ComputeError(400, 'ipSpaceExhausted', `IP space of '${subnet}' is exhausted.`),
  invalid: (message: string) => new ComputeError(400, 'invalid', message),
  invalidField: (field: string, value: unknown, why: string) => new ComputeError(400, 'invalid', `Invalid value for field '${field}': '${shown(value)}'. ${why}`),
  required: (field: string) => new ComputeError(400, 'required', `Required field '${field}' not specified`),
  parseError: (detail: string) => new ComputeError(400, 'parseError', `Invalid JSON payload received. ${detail}`),
  invalidLabelKey: (field: string, key: string) =>
    new ComputeError(
      400,
      'invalid',
      `Invalid value for field '${field}': ''. Label key '${key}' violates format constraints. The key must start with a lowercase character, can only contain lowercase letters, numeric characters, underscores and dashes. The key can be at most 63 characters long. International characters are allowed.`,
    ),
  invalidLabelValue: (field: string, value: string) =>
    new ComputeError(
      400,
      'invalid',
      `Invalid value for field '${field}': ''. Label value '${value}' violates format constraints. The value can only contain lowercase letters, numeric characters, underscores and dashes. The value can be at most 63 characters long. International characters are allowed.`,
    ),
  tooManyLabels: (field: string, limit: number) => new ComputeError(400, 'invalid', `Invalid value for field '${field}': ''. A resource can have at most ${limit} labels.`),
  badLabelFingerprint: () => new ComputeError(412, 'conditionNotMet', 'Labels fingerprint either invalid or resource labels have changed'),
  badFingerprint: () => new ComputeError(412, 'conditionNotMet', 'Invalid fingerprint.'),
  fingerprintRequired: () => new ComputeError(400, 'invalid', "Required field 'fingerprint' not specified"),
  quotaExceeded: (metric: string, limit: number, region: string) =>
    new ComputeError(403, 'quotaExceeded', `Quota '${metric}' exceeded.  Limit: ${limit.toFixed(1)} in region ${region}.`),
  /** A project-wide quota (NETWORKS, SUBNETWORKS) would be exceeded. */
  quotaExceededGlobally: (metric: string, limit: number) => new ComputeError(403, 'quotaExceeded', `Quota '${metric}' exceeded.  Limit: ${limit.toFixed(1)} globally.`),
  unknownRegion: (region: string, project: string) => new ComputeError(404, 'notFound', `The resource 'projects/${project}/regions/${region}' was not found`),
  noRoute: (method: string, path: string) => new ComputeError(404, 'notFound', `The requested URL ${path} was not found on this server (method ${method}).`),
  methodNotAllowed: (method: string) => new ComputeError(405, 'httpMethodNotAllowed', `HTTP method ${method} is not supported by this URL`),
  rateLimited: () => new ComputeError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', {}, 'RESOURCE_EXHAUSTED'),
  backendError: () => new ComputeError(503, 'backendError', 'Internal error. Please try again or contact Google Support.'),
  internal: () => new ComputeError(500, 'backendError', 'Internal error. Please try again or contact Google Support.'),
} as const;

/** A field's value as an error quotes it (`valueAsText`), cut to 200 characters. */
function shown(value: unknown): string {
  const text = valueAsText(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
