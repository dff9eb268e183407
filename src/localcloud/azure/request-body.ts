import { ArmError, armErrors, AZURE_TAG_LIMITS } from './arm-error.js';
import type { JsonObject, JsonValue } from './store/schema.js';

/**
 * Typed reads of an ARM request body. A value of the wrong JSON type is ARM's 400
 * InvalidRequestContent naming the path; absent values come back as undefined.
 */

function invalid(path: string, expected: string): ArmError {
  return new ArmError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: 'Expected ${expected} at path '${path}'.'`);
}

/** Parses the raw body as a JSON object (an empty body is `{}`). */
export function parseBody(raw: Buffer): JsonObject {
  const text = raw.toString('utf8').trim();
  if (text.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ArmError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('', 'an object');
  return value as JsonObject;
}

export function optObject(value: JsonValue | undefined, path: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(path, 'an object');
  return value;
}

export function optArray(value: JsonValue | undefined, path: string): JsonValue[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(path, 'an array');
  return value;
}

export function optString(value: JsonValue | undefined, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(path, 'a string');
  return value;
}

export function optNumber(value: JsonValue | undefined, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'a number');
  return value;
}

export function optBoolean(value: JsonValue | undefined, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(path, 'a boolean');
  return value;
}

/** A list of strings (absent → []). */
export function stringList(value: JsonValue | undefined, path: string): string[] {
  return (optArray(value, path) ?? []).map((item, i) => optString(item, `${path}[${i}]`) ?? '');
}

/** A list of objects (absent → []). */
export function objectList(value: JsonValue | undefined, path: string): JsonObject[] {
  return (optArray(value, path) ?? []).map((item, i) => optObject(item, `${path}[${i}]`) ?? {});
}

/** The `id` of a `{ "id": … }` reference, if given. */
export function optRefId(value: JsonValue | undefined, path: string): string | undefined {
  const ref = optObject(value, path);
  return ref ? optString(ref.id, `${path}.id`) : undefined;
}

/** The `properties` object of a resource body (absent → {}; the SDK leaves it out when empty). */
export function propertiesOf(body: JsonObject, path = 'properties'): JsonObject {
  return optObject(body.properties, path) ?? {};
}

/** Characters ARM refuses in a tag name: `<`, `>`, `%`, `&`, `\\`, `?`, `/` and control characters. */
const RESERVED_IN_TAG_NAME = /[<>%&\\?/\u0000-\u001f\u007f]/;

/**
 * `tags` as a string map (absent → {}), within ARM's limits (AZURE_TAG_LIMITS): at most 50, each
 * name not blank, at most 512 characters and free of the reserved characters, each value at most
 * 256 characters. Checked in that order, as ARM does; a check names every tag that fails it.
 */
export function tagsOf(body: JsonObject): Record<string, string> {
  const tags = optObject(body.tags, 'tags') ?? {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) out[key] = optString(value, `tags.${key}`) ?? '';
  const names = Object.keys(out);
  if (names.length > AZURE_TAG_LIMITS.tags) throw armErrors.tooManyTags(names.length);
  if (names.some((name) => name.trim() === '')) throw armErrors.emptyTagName();
  const reserved = names.filter((name) => RESERVED_IN_TAG_NAME.test(name));
  if (reserved.length > 0) throw armErrors.tagNameCharacters(reserved);
  const long = names.filter((name) => name.length > AZURE_TAG_LIMITS.nameLength);
  if (long.length > 0) throw armErrors.tagNameTooLong(long);
  const longValues = Object.values(out).filter((value) => value.length > AZURE_TAG_LIMITS.valueLength);
  if (longValues.length > 0) throw armErrors.tagValueTooLong(longValues);
  return out;
}
