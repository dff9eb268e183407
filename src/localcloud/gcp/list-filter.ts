import { computeErrors } from './compute-error.js';
import type { JsonObject } from './store/schema.js';

/**
 * The subset of Compute's `filter` query parameter the emulator evaluates on listings:
 * comparisons of a top-level field or of one label (`labels.<key>`), `field = value`,
 * `field != value` (value quoted or bare; `*` as a wildcard), joined by `AND` (optionally in
 * parentheses), and the older regular-expression form `field eq regex` / `field ne regex` (the
 * whole value must match). A resource without the label compares as an empty value. Link fields
 * compare with the rendered URL, as Compute's do. Anything else is 400 invalid.
 */
export type ListFilter = (item: JsonObject) => boolean;

/** A top-level field, or `labels.` and a label key (labels.ts). */
const FIELD = String.raw`[A-Za-z][A-Za-z0-9_]*|labels\.[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*`;
const COMPARISON = new RegExp(String.raw`^\(?\s*(${FIELD})\s*(=|!=)\s*("([^"]*)"|[^\s()"]+)\s*\)?$`, 'u');
const REGEX_FORM = new RegExp(String.raw`^(${FIELD})\s+(eq|ne)\s+(.+)$`, 'u');

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
    return (item) => re.test(scalar(valueAt(item, field!))) === (op === 'eq');
  }
  if (/\sOR\s/.test(text)) throw invalid(text);
  const tests = text.split(/\s+AND\s+/).map((part) => {
    const match = COMPARISON.exec(part.trim());
    if (!match) throw invalid(text);
    const [, field, op, raw, quoted] = match;
    const value = quoted ?? raw!;
    const pattern = new RegExp(`^${value.split('*').map(escapeRegex).join('.*')}$`);
    return (item: JsonObject) => pattern.test(scalar(valueAt(item, field!))) === (op === '=');
  });
  return (item) => tests.every((t) => t(item));
}

/** The item's value of `field`: a top-level field, or `labels.<key>` one label's value. */
function valueAt(item: JsonObject, field: string): unknown {
  if (!field.startsWith('labels.')) return item[field];
  const labels = item.labels;
  return labels && typeof labels === 'object' && !Array.isArray(labels) ? (labels as JsonObject)[field.slice('labels.'.length)] : undefined;
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
