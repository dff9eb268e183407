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
  const match = /application\/vnd\.atlas\.([0-9a-z-]+?)(\.upcoming)?\+json/i.exec(accept ?? '');
  if (!match) throw new ApiError('INVALID_VERSION_DATE');
  const requested = match[1]!.toLowerCase();
  if (requested === 'preview') return versions[versions.length - 1]!;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(requested) || Number.isNaN(Date.parse(requested))) throw new ApiError('INVALID_VERSION_DATE');
  const eligible = versions.filter((v) => v <= requested);
  if (eligible.length === 0) throw new ApiError('INVALID_VERSION_DATE');
  return eligible[eligible.length - 1]!;
}

/** The response content type for a resolved v2 version. */
export function versionedContentType(version: string): string {
  return `application/vnd.atlas.${version}+json;charset=utf-8`;
}
