import { computeErrors } from '../compute-error.js';
import type { JsonObject, JsonValue } from '../store/schema.js';

/**
 * Reading insert bodies: each helper names the field as Compute does in its errors
 * (`resource.ipCidrRange`) and throws 400 invalid for a value of the wrong type.
 */

export function optString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw computeErrors.invalidField(`resource.${field}`, value, 'Expected a string.');
  return value;
}

export function reqString(input: JsonObject, field: string): string {
  const value = optString(input, field);
  if (value === undefined) throw computeErrors.required(`resource.${field}`);
  return value;
}

export function optBool(input: JsonObject, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw computeErrors.invalidField(`resource.${field}`, value, 'Expected a boolean.');
  return value;
}

/** An integer, given as a number or (proto JSON int64) a decimal string. */
export function optInt(input: JsonObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw computeErrors.invalidField(`resource.${field}`, value, 'Expected an integer.');
  return n;
}

export function optStrings(input: JsonObject, field: string): string[] {
  const value = input[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw computeErrors.invalidField(`resource.${field}`, value, 'Expected a list of strings.');
  return value as string[];
}

export function optObjects(input: JsonObject, field: string): JsonObject[] {
  const value = input[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
    throw computeErrors.invalidField(`resource.${field}`, value, 'Expected a list of objects.');
  return value as JsonObject[];
}

/** One of `allowed` (or the default when absent). */
export function optEnum<T extends string>(input: JsonObject, field: string, allowed: readonly T[], fallback: T): T {
  const value = optString(input, field);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw computeErrors.invalidField(`resource.${field}`, value, `Allowed values: ${allowed.join(', ')}.`);
  return value as T;
}

/** Drops undefined entries (stored documents hold JSON values only). */
export function compact(entries: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v;
  return out;
}
