import { computeErrors } from './compute-error.js';
import type { JsonObject } from './store/schema.js';

/**
 * The subset of Compute's `filter` query parameter the emulator evaluates on listings:
 * comparisons of a top-level field, `field = value`, `field != value` (value quoted or bare; `*`
 * as a wildcard), joined by `AND` (optionally in parentheses), and the older regular-expression
 * form `field eq regex` / `field ne regex` (the whole value must match). Link fields compare
 * with the rendered URL, as Compute's do. Anything else is 400 invalid.
 */
export type ListFilter = (item: JsonObject) => boolean;

const COMPARISON = /^\(?\s*([A-Za-z][A-Za-z0-9_]*)\s*(=|!=)\s*("([^"]*)"|[^\s()"]+)\s*\)?$/;
const REGEX_FORM = /^([A-Za-z][A-Za-z0-9_]*)\s+(eq|ne)\s+(.+)$/;

/** Parses `filter` (undefined or empty: everything passes). Throws 400 invalid for what it does not understand. */
export function parseListFilter(filter: string | null): ListFilter {
  const text = (filter ?? '').trim();
  if (text === '') return () => true;
  const regex = REGEX_FORM.exec(text);
  if (regex && !/\s(AND|OR)\s/.test(text)) {
    const [, field, op, pattern] = regex;
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern!.trim().replace(/^"(.*)"$/, '$1')})$`);
    } catch {
      throw invalid(text);
    }
    return (item) => re.test(scalar(item[field!])) === (op === 'eq');
  }
  if (/\sOR\s/.test(text)) throw invalid(text);
  const tests = text.split(/\s+AND\s+/).map((part) => {
    const match = COMPARISON.exec(part.trim());
    if (!match) throw invalid(text);
    const [, field, op, raw, quoted] = match;
    const value = quoted ?? raw!;
    const pattern = new RegExp(`^${value.split('*').map(escapeRegex).join('.*')}$`);
    return (item: JsonObject) => pattern.test(scalar(item[field!])) === (op === '=');
  });
  return (item) => tests.every((t) => t(item));
}

function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function invalid(filter: string) {
  return computeErrors.invalidField('filter', filter, 'Invalid list filter expression.');
}
