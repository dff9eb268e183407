import type { Tag } from '../model.js';
import { parseTagSpecifications, type QueryParams } from '../query-params.js';
import { leaf, list, xml, type Xml } from '../xml.js';
import { invalidParameterValue, tagLimitExceeded } from './ec2-errors.js';

/**
 * The tags a create action puts on its resource, from `TagSpecification.N`. Specifications for
 * another resource type are refused as AWS refuses them; keys are checked for AWS's rules.
 */
export function tagsFromSpecifications(params: QueryParams, resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const spec of parseTagSpecifications(params)) {
    if (spec.resourceType !== resourceType) {
      throw invalidParameterValue(`'${spec.resourceType}' is not a valid taggable resource type for this operation.`);
    }
    tags.push(...spec.tags);
  }
  if (tags.length > MAX_EC2_TAGS) throw tagLimitExceeded();
  return checkTags(tags);
}

/** "You can assign up to 50 user-defined tags to each resource" (Amazon EC2 User Guide, tag restrictions). */
export const MAX_EC2_TAGS = 50;

/** Validates tag keys (non-empty, ≤128, not `aws:`, no duplicates) and values (≤256). */
export function checkTags(tags: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.key.length === 0 || tag.key.length > 128) throw invalidParameterValue(`Tag key must be between 1 and 128 characters: '${tag.key}'`);
    if (tag.key.toLowerCase().startsWith('aws:')) throw invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
    if (tag.value.length > 256) throw invalidParameterValue(`Tag value exceeds the maximum length of 256 characters for key '${tag.key}'`);
    if (seen.has(tag.key)) throw invalidParameterValue(`Duplicate tag key '${tag.key}' specified.`);
    seen.add(tag.key);
  }
  return [...tags];
}

/** `<tagSet><item><key>…</key><value>…</value></item>…</tagSet>` (`<tagSet/>` when empty). */
export function tagSet(tags: readonly Tag[]): Xml {
  return list('tagSet', 'item', tags, (tag) => xml(leaf('key', tag.key), leaf('value', tag.value)));
}
