/**
 * `-o json-path=<expr>`: a JSONPath evaluator for the expressions scripts use (as the Atlas CLI's
 * PaesslerAG/jsonpath does for them):
 *
 *   $                     the whole body
 *   .name  ['name']       a member          [n] (negative counts from the end)   [a:b] a slice
 *   [*]  .*               every element / member value
 *   ..name                `name` at any depth
 *   [n,m] ['a','b']       unions
 *
 * A path without wildcards, slices, unions or `..` yields one value (a missing member is an error,
 * as in the Atlas CLI: `unknown key x`); any of those yields an array of all matches.
 *
 * @example
 *   evaluateJsonPath('$[0].status', [{ status: 'AVAILABLE' }]) // 'AVAILABLE'
 *   evaluateJsonPath('$[*].id', [{ id: 'a' }, { id: 'b' }])  // ['a', 'b']
 */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

type Selector =
  | { readonly kind: 'member'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indexes: readonly number[] }
  | { readonly kind: 'slice'; readonly start: number | undefined; readonly end: number | undefined }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'descendant'; readonly name: string | null };

/** Parses a JSONPath expression; throws JsonPathError on bad syntax (a flag error in the CLI). */
export function parseJsonPath(expression: string): Selector[] {
  const text = expression.trim();
  if (text === '') throw new JsonPathError('empty jsonpath');
  if (!text.startsWith('$')) throw new JsonPathError(`jsonpath must start with $: ${expression}`);
  const selectors: Selector[] = [];
  let i = 1;
  const name = /^[A-Za-z_$@-][\w$@-]*/;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('..')) {
      const m = name.exec(rest.slice(2));
      if (rest[2] === '*') {
        selectors.push({ kind: 'descendant', name: null });
        i += 3;
      } else if (m) {
        selectors.push({ kind: 'descendant', name: m[0] });
        i += 2 + m[0].length;
      } else throw new JsonPathError(`bad jsonpath near ${rest}`);
    } else if (rest.startsWith('.*')) {
      selectors.push({ kind: 'wildcard' });
      i += 2;
    } else if (rest.startsWith('.')) {
      const m = name.exec(rest.slice(1));
      if (!m) throw new JsonPathError(`bad jsonpath near ${rest}`);
      selectors.push({ kind: 'member', names: [m[0]] });
      i += 1 + m[0].length;
    } else if (rest.startsWith('[')) {
      const close = findBracketClose(rest);
      if (close === -1) throw new JsonPathError(`unclosed [ in jsonpath near ${rest}`);
      selectors.push(parseBracket(rest.slice(1, close).trim(), rest));
      i += close + 1;
    } else throw new JsonPathError(`bad jsonpath near ${rest}`);
  }
  return selectors;
}

function findBracketClose(text: string): number {
  let quote: string | null = null;
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') return i;
  }
  return -1;
}

function parseBracket(inner: string, context: string): Selector {
  if (inner === '*') return { kind: 'wildcard' };
  const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(inner);
  if (slice) return { kind: 'slice', start: slice[1] === undefined ? undefined : Number(slice[1]), end: slice[2] === undefined ? undefined : Number(slice[2]) };
  const parts = splitUnion(inner);
  if (parts.every((p) => /^-?\d+$/.test(p))) return { kind: 'index', indexes: parts.map(Number) };
  if (parts.every((p) => /^(['"]).*\1$/s.test(p))) return { kind: 'member', names: parts.map((p) => p.slice(1, -1).replace(/\\(.)/g, '$1')) };
  throw new JsonPathError(`bad jsonpath selector [${inner}] near ${context}`);
}

function splitUnion(inner: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === '\\') current += c + (inner[++i] ?? '');
      else {
        if (c === quote) quote = null;
        current += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ',') {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  parts.push(current.trim());
  return parts;
}

/** True when the selectors can match several values (the result is then an array). */
function isPlural(selectors: readonly Selector[]): boolean {
  return selectors.some(
    (s) => s.kind === 'wildcard' || s.kind === 'slice' || s.kind === 'descendant' || (s.kind === 'member' && s.names.length > 1) || (s.kind === 'index' && s.indexes.length > 1),
  );
}

/** Evaluates a JSONPath expression on JSON data. */
export function evaluateJsonPath(expression: string, data: unknown): unknown {
  const selectors = parseJsonPath(expression);
  const plural = isPlural(selectors);
  let values: unknown[] = [data];
  for (const selector of selectors) {
    const next: unknown[] = [];
    for (const value of values) apply(selector, value, next, !plural);
    values = next;
  }
  return plural ? values : values[0];
}

function apply(selector: Selector, value: unknown, out: unknown[], strict: boolean): void {
  switch (selector.kind) {
    case 'member':
      for (const name of selector.names) {
        if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, name)) {
          out.push((value as Record<string, unknown>)[name]);
        } else if (strict) throw new JsonPathError(`unknown key ${name}`);
      }
      return;
    case 'index':
      for (const index of selector.indexes) {
        if (Array.isArray(value)) {
          const at = index < 0 ? value.length + index : index;
          if (at >= 0 && at < value.length) out.push(value[at]);
          else if (strict) throw new JsonPathError(`index [${index}] out of bounds`);
        } else if (strict) throw new JsonPathError(`[${index}] applied to a value that is not an array`);
      }
      return;
    case 'slice': {
      if (!Array.isArray(value)) return;
      out.push(...value.slice(selector.start, selector.end));
      return;
    }
    case 'wildcard':
      if (Array.isArray(value)) out.push(...value);
      else if (value !== null && typeof value === 'object') out.push(...Object.values(value));
      return;
    case 'descendant':
      collectDescendants(value, selector.name, out);
      return;
  }
}

function collectDescendants(value: unknown, name: string | null, out: unknown[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (name === null) out.push(item);
      collectDescendants(item, name, out);
    }
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (name === null || key === name) out.push(child);
    collectDescendants(child, name, out);
  }
}
