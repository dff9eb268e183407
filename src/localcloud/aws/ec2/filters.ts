import type { Tag } from '../model.js';
import type { QueryFilter } from '../query-params.js';
import { invalidParameterValue } from './ec2-errors.js';

/** For each supported filter name, the values an item has for it. */
export type FilterFields<T> = Readonly<Record<string, (item: T) => ReadonlyArray<string | null | undefined> | string | boolean | null | undefined>>;

/** Whether `value` matches the filter pattern (`*` any run, `?` one character, as AWS allows). */
export function matchesPattern(pattern: string, value: string): boolean {
  return patternTest(pattern)(value);
}

/** The test of one filter pattern, made once per request (a wildcard pattern compiles once, not per item). */
function patternTest(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => pattern === value;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
  return (value) => regex.test(value);
}

function valuesOf(raw: ReturnType<FilterFields<unknown>[string]>): string[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'boolean') return [String(raw)];
  if (typeof raw === 'string') return [raw];
  return raw.filter((v): v is string => typeof v === 'string');
}

/**
 * Keeps the items matching every filter (a filter matches when any of its values matches any
 * of the item's values). `tag:<key>`, `tag-key` and `tag-value` work for every kind with tags.
 * An unknown filter name fails as AWS does: InvalidParameterValue "The filter '<name>' is invalid".
 */
export function applyFilters<T>(items: readonly T[], filters: readonly QueryFilter[], fields: FilterFields<T>, tagsOf?: (item: T) => readonly Tag[]): T[] {
  return items.filter(filterMatcher(filters, fields, tagsOf));
}

/** applyFilters' test for one item, for a listing read a page at a time; the filter names are checked at once. */
export function filterMatcher<T>(filters: readonly QueryFilter[], fields: FilterFields<T>, tagsOf?: (item: T) => readonly Tag[]): (item: T) => boolean {
  for (const filter of filters) {
    const isTagFilter = tagsOf !== undefined && (filter.name.startsWith('tag:') || filter.name === 'tag-key' || filter.name === 'tag-value');
    if (!isTagFilter && !(filter.name in fields)) throw invalidParameterValue(`The filter '${filter.name}' is invalid`);
  }
  const tests = filters.map((filter) => filter.values.map(patternTest));
  return (item) =>
    filters.every((filter, i) => {
      let have: string[];
      if (tagsOf && filter.name.startsWith('tag:')) {
        const key = filter.name.slice(4);
        have = tagsOf(item)
          .filter((tag) => tag.key === key)
          .map((tag) => tag.value);
      } else if (tagsOf && filter.name === 'tag-key') {
        have = tagsOf(item).map((tag) => tag.key);
      } else if (tagsOf && filter.name === 'tag-value') {
        have = tagsOf(item).map((tag) => tag.value);
      } else {
        // Every non-tag filter name was checked against `fields` above.
        have = valuesOf(fields[filter.name]!(item));
      }
      return tests[i]!.some((test) => have.some(test));
    });
}
