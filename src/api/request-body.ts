import { ApiError } from '../domain/errors.js';
import { guardBody } from './input-guard.js';

/**
 * A request body as received: the raw text, collected by the one content-type parser without
 * looking at it. It is parsed only after the caller was authenticated and authorised, so callers
 * without access never learn about media types or JSON syntax (401/403/404, never 400/415).
 */
export class RawBody {
  constructor(readonly text: string) {}
}

const JSON_MEDIA_TYPE = /^application\/(json|vnd\.atlas\.[^+;\s]+\+json)\s*(;|$)/i;

/**
 * Parses a raw body: empty → `undefined`; `application/json` or
 * `application/vnd.atlas.<version>+json` → the JSON value, guarded at the edge (`guardBody`);
 * anything else (or no content type with a body) → 415; bad JSON → 400 INVALID_JSON.
 */
export function parseRequestBody(raw: unknown, contentType: string | undefined): unknown {
  const text = raw instanceof RawBody ? raw.text : '';
  if (text.trim().length === 0) return undefined;
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', [contentType ?? '']);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('INVALID_JSON');
  }
  guardBody(value);
  return value;
}
