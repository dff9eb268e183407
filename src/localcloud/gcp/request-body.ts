import { computeErrors } from './compute-error.js';
import type { JsonObject } from './store/schema.js';

/**
 * A Compute request body as a JSON object. Empty bodies and the JSON string `""` (what the
 * client sends to `…/operations/{op}/wait`) read as `{}`; anything else must be a JSON object
 * (400 parseError otherwise).
 */
export function parseComputeBody(raw: Buffer): JsonObject {
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw computeErrors.parseError(`Unexpected token: ${(error as Error).message}`);
  }
  if (value === '' || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw computeErrors.parseError('Expected a JSON object.');
  return value as JsonObject;
}
