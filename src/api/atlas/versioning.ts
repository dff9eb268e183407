import { ApiError } from '../../domain/errors.js';

/**
 * Resolves the v2 media type a client asked for (`Accept: application/vnd.atlas.YYYY-MM-DD+json`)
 * to the newest version of the resource on or before that date (Atlas's Admin API versioning); `preview` gets
 * the newest. As Atlas, anything else — no Accept, `*\/*`, `application/json`, a malformed date or
 * one before 2023-01-01 — is 406 INVALID_VERSION_DATE ("Invalid accept header or version date.").
 *
 * @param versions the resource's versions, ascending (`['2023-01-01']` for private endpoints)
 */
export function resolveVersion(accept: string | undefined, versions: readonly string[]): string {
  const requested = requestedVersion(accept ?? '');
  if (requested === undefined) throw new ApiError('INVALID_VERSION_DATE');
  if (requested === 'preview') return versions[versions.length - 1]!;
  let eligible: string | undefined;
  for (const version of versions) if (version <= requested) eligible = version;
  if (eligible === undefined) throw new ApiError('INVALID_VERSION_DATE');
  return eligible;
}

/**
 * The version an `Accept` header asks for (`preview` or a `YYYY-MM-DD` that is a date), undefined
 * when it asks for none. Kept per header value (at most 1,000 values of at most 256 characters, so
 * a caller sending odd headers cannot grow it): clients repeat one value on every request, and the
 * regular expressions and date parse ran on every Admin API v2 request.
 */
function requestedVersion(accept: string): string | undefined {
  const known = requestedVersions.get(accept);
  if (known !== undefined || requestedVersions.has(accept)) return known;
  const match = /application\/vnd\.atlas\.([0-9a-z-]+?)(\.upcoming)?\+json/i.exec(accept);
  let requested = match?.[1]!.toLowerCase();
  if (requested !== undefined && requested !== 'preview' && (!/^\d{4}-\d{2}-\d{2}$/.test(requested) || Number.isNaN(Date.parse(requested)))) requested = undefined;
  if (accept.length <= 256) {
    if (requestedVersions.size >= 1000) requestedVersions.clear();
    requestedVersions.set(accept, requested);
  }
  return requested;
}

const requestedVersions = new Map<string, string | undefined>();

/** The response content type for a resolved v2 version. */
export function versionedContentType(version: string): string {
  return `application/vnd.atlas.${version}+json;charset=utf-8`;
}
