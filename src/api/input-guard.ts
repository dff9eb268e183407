import { ApiError, apiError } from '../domain/errors.js';

// Guards at the API edge, before any use case sees the input: text that no store can hold (NUL
// characters), numbers JSON cannot carry (`1e999` parses to Infinity), and bodies nested deeper
// than `MAX_BODY_DEPTH` are refused with Atlas's 400 naming the attribute.

/** Deepest nesting of arrays and objects a request body may have (cluster specs need about 6). */
const MAX_BODY_DEPTH = 20;

/** Path parameters: 400 INVALID_ATTRIBUTE naming the parameter that holds a NUL. */
export function guardPathParams(params: Readonly<Record<string, string>>): void {
  // for…in, not Object.entries: no array per request (Fastify's params object has no inherited keys).
  for (const name in params) {
    if (params[name]!.includes('\u0000')) throw apiError('INVALID_ATTRIBUTE', name);
  }
}

/** Query parameters: 400 INVALID_QUERY_PARAMETER naming the parameter whose name or value holds a NUL. */
export function guardQuery(query: Readonly<Record<string, unknown>>): void {
  for (const name in query) {
    const value = query[name];
    const values = Array.isArray(value) ? value : [value];
    if (name.includes('\u0000') || values.some((v) => typeof v !== 'string' || v.includes('\u0000'))) {
      throw apiError('INVALID_QUERY_PARAMETER', name);
    }
  }
}

/**
 * A parsed JSON body: 400 INVALID_ATTRIBUTE naming the attribute (object keys joined by `.`) that
 * holds a NUL, a non-finite number, or nesting deeper than `MAX_BODY_DEPTH`. Iterative, so any
 * depth is safe to inspect.
 */
export function guardBody(body: unknown): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw invalid(path);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw invalid(path);
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_BODY_DEPTH) throw invalid(path);
      if (Array.isArray(value)) {
        for (const item of value) stack.push({ value: item, path, depth: depth + 1 });
      } else {
        for (const [key, item] of Object.entries(value)) {
          const child = path === '' ? key : `${path}.${key}`;
          if (key.includes('\u0000')) throw invalid(child);
          stack.push({ value: item, path: child, depth: depth + 1 });
        }
      }
    }
  }
}

function invalid(path: string): ApiError {
  return path === '' ? apiError('INVALID_JSON') : apiError('INVALID_ATTRIBUTE', path);
}
