import type { Tag } from '../model.js';
import type { QueryParams } from '../query-params.js';
import { AwsQueryError } from '../aws-query-error.js';
import { validationError } from './elbv2-errors.js';

/** At most this many tags per ELBv2 resource. */
export const MAX_ELB_TAGS = 50;

/** `Tags.member.N.Key/Value`, checked: keys 1–128 and not `aws:`, values ≤256, no duplicate keys. */
export function parseElbTags(params: QueryParams): Tag[] {
  const tags = params.memberStructs('Tags').map((t) => ({ key: t.get('Key') ?? '', value: t.get('Value') ?? '' }));
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.key.length === 0 || tag.key.length > 128) throw validationError(`Tag key '${tag.key}' must be between 1 and 128 characters`);
    if (tag.key.startsWith('aws:')) throw validationError("Tag keys starting with 'aws:' are reserved for internal use");
    if (tag.value.length > 256) throw validationError(`Tag value for key '${tag.key}' cannot be longer than 256 characters`);
    if (seen.has(tag.key)) throw new AwsQueryError('DuplicateTagKeys', `Tag key '${tag.key}' is duplicated`);
    seen.add(tag.key);
  }
  if (tags.length > MAX_ELB_TAGS) throw new AwsQueryError('TooManyTags', 'The quota for the number of tags that can be assigned to a load balancer has been reached');
  return tags;
}

/** `existing` with `added` put in (a key present in both takes the new value). */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.key, t.value]));
  for (const tag of added) byKey.set(tag.key, tag.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}
