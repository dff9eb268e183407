// The console's only way to privlink: the same Admin API the CLI uses (Atlas v2 paths and
// media type; App Services v3 paths), authenticated by the session cookie, with the CSRF token
// on every write.
import type { AtlasErrorWire } from '../../src/api/atlas/wire/error.wire.js';

const MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json';

/** An Atlas error answer, as the API sent it (its `detail` is what the console shows). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

let csrfToken: string | undefined;

/** The CSRF token of the current session (kept in memory only). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Listeners told when the API says the session is over (401). */
const signedOut = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOut.add(listener);
  return () => signedOut.delete(listener);
}

/** Calls the API; resolves with the JSON body (undefined for 204), rejects with an ApiProblem. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: MEDIA_TYPE };
  if (body !== undefined) headers['content-type'] = MEDIA_TYPE;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    // Atlas's error shape, or App Services' `{error, error_code}` on v3 paths.
    const error = (parsed ?? {}) as Partial<AtlasErrorWire> & { error?: string; error_code?: string };
    if (response.status === 401 && !path.endsWith('/console/api/session')) for (const listener of signedOut) listener();
    throw new ApiProblem(response.status, error.errorCode ?? error.error_code ?? 'UNEXPECTED_ERROR', error.detail ?? error.error ?? `${response.status} ${response.statusText}`);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `/api/atlas/v2` + path. */
export const v2 = (path: string) => `/api/atlas/v2${path}`;

/** `/api/admin/v3.0` + path (App Services). */
export const v3 = (path: string) => `/api/admin/v3.0${path}`;

/** The message to show for a failed call. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) return `${error.detail} (${error.errorCode})`;
  return error instanceof Error ? error.message : String(error);
}
