import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import type { Tag } from '../model.js';
import { TAGGABLE_KINDS, type Ec2TagsRepository, type TaggableKind, type TaggedResource } from '../store/ec2-tags.repository.js';
import { leaf, list, xml, type Xml } from '../xml.js';
import {
  gatewayNotFound,
  groupNotFound,
  invalidParameterValue,
  missingParameter,
  peeringNotFound,
  serviceIdNotFound,
  subnetNotFound,
  tagLimitExceeded,
  vpcEndpointNotFound,
  vpcNotFound,
} from './ec2-errors.js';
import { applyFilters } from './filters.js';
import { paginate } from './paging.js';
import { checkTags, MAX_EC2_TAGS } from './tags.js';
import { parseFilters } from '../query-params.js';

/** What an id names: its kind, or an AWS error (an id of no kind; one whose resource the account does not have). */
function kindOf(resourceId: string): TaggableKind {
  const kind = TAGGABLE_KINDS.find((k) => resourceId.startsWith(k.prefix) && /^[a-z0-9]+$/.test(resourceId.slice(k.prefix.length)));
  if (kind) return kind;
  if (/^(rtb|eni|dopt)-[a-z0-9]+$/.test(resourceId))
    throw new AwsQueryError('UnsupportedOperation', `The local cloud keeps no tags on route tables, network interfaces or DHCP option sets: '${resourceId}'.`);
  throw new AwsQueryError('InvalidID', `The ID '${resourceId}' is not valid`);
}

function notFound(kind: TaggableKind, resourceId: string): AwsQueryError {
  switch (kind.resourceType) {
    case 'vpc':
      return vpcNotFound(resourceId);
    case 'subnet':
      return subnetNotFound(resourceId);
    case 'security-group':
      return groupNotFound(resourceId);
    case 'vpc-endpoint':
      return vpcEndpointNotFound(resourceId);
    case 'vpc-endpoint-service':
      return serviceIdNotFound(resourceId);
    case 'vpc-peering-connection':
      return peeringNotFound(resourceId);
    default:
      return gatewayNotFound(resourceId);
  }
}

/** "Constraints: Up to 1000 resource IDs" (CreateTags, DeleteTags). */
const MAX_RESOURCE_IDS = 1000;

/**
 * Every `ResourceId.N` (each once), each a resource of the caller in the region, read with one
 * query per resource type; checked all before any is changed. The first unknown id, in the
 * request's order, is the error.
 */
async function resources(ctx: ActionContext, repo: Ec2TagsRepository): Promise<TaggedResource[]> {
  const ids = [...new Set(ctx.params.list('ResourceId'))];
  if (ids.length === 0) throw missingParameter('ResourceId');
  if (ids.length > MAX_RESOURCE_IDS) throw invalidParameterValue(`A request names at most ${MAX_RESOURCE_IDS} resource IDs; this one names ${ids.length}.`);
  const kinds = new Map(ids.map((id) => [id, kindOf(id)]));
  const found = new Map<string, TaggedResource>();
  for (const kind of new Set(kinds.values())) {
    const named = ids.filter((id) => kinds.get(id) === kind);
    for (const resource of await repo.list(kind, ctx.account.accountId, ctx.region.regionName, named)) found.set(resource.resourceId, resource);
  }
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound(kinds.get(missing)!, missing);
  return ids.map((id) => found.get(id)!);
}

/**
 * CreateTags: `ResourceId.N`, `Tag.N.Key`/`Tag.N.Value` (a missing value is empty). Adds each tag
 * to each resource, overwriting a key it has; at most 50 per resource (TagLimitExceeded). Keys
 * and values follow the create actions' rules. Nothing changes unless every resource can take
 * every tag.
 */
export async function createTags(ctx: ActionContext): Promise<Xml> {
  const given = ctx.params.structs('Tag');
  if (given.length === 0) throw missingParameter('Tag');
  const added = checkTags(given.map((tag) => ({ key: tag.get('Key') ?? '', value: tag.get('Value') ?? '' })));
  const repo = ctx.repos.ec2Tags;
  const changes: Array<{ resource: TaggedResource; tags: Tag[] }> = [];
  for (const resource of await resources(ctx, repo)) {
    const byKey = new Map(resource.tags.map((tag) => [tag.key, tag.value]));
    for (const tag of added) byKey.set(tag.key, tag.value);
    if (byKey.size > MAX_EC2_TAGS) throw tagLimitExceeded();
    changes.push({ resource, tags: [...byKey].map(([key, value]) => ({ key, value })) });
  }
  for (const { resource, tags } of changes) await repo.setTags(resource.kind, resource.resourceId, tags);
  return leaf('return', 'true');
}

/**
 * DeleteTags: `ResourceId.N` and `Tag.N.Key` with an optional `Tag.N.Value`. As EC2 documents:
 * a key with a value deletes the tag only if its value matches (an empty value matches only an
 * empty value); a key alone deletes it whatever its value; no `Tag` at all deletes every tag.
 * Keys starting with `aws:` are refused.
 */
export async function deleteTags(ctx: ActionContext): Promise<Xml> {
  const given = ctx.params.structs('Tag').map((tag) => ({ key: tag.get('Key') ?? '', value: tag.get('Value') }));
  for (const { key } of given) {
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
  }
  const repo = ctx.repos.ec2Tags;
  for (const resource of await resources(ctx, repo)) {
    const kept = given.length === 0 ? [] : resource.tags.filter((tag) => !given.some((gone) => gone.key === tag.key && (gone.value === undefined || gone.value === tag.value)));
    if (kept.length !== resource.tags.length) await repo.setTags(resource.kind, resource.resourceId, kept);
  }
  return leaf('return', 'true');
}

/** One tag of one resource, as DescribeTags lists it (`seq`: its place in the listing). */
interface TagItem {
  readonly seq: number;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly key: string;
  readonly value: string;
}

/**
 * DescribeTags: the tags of the caller's resources in the region, filtered by `resource-id`,
 * `resource-type`, `key` and `value` (with `*` and `?` wildcards); paged with
 * `MaxResults` (5–1000) and `NextToken`. Resources by kind, then in creation order.
 */
export async function describeTags(ctx: ActionContext): Promise<Xml> {
  const filters = parseFilters(ctx.params);
  const repo = ctx.repos.ec2Tags;
  // Named ids without wildcards narrow the read to those rows.
  const named = filters.find((f) => f.name === 'resource-id' && f.values.every((value) => !/[*?]/.test(value)));
  const items: TagItem[] = [];
  for (const [index, kind] of TAGGABLE_KINDS.entries()) {
    const ids = named?.values.filter((id) => TAGGABLE_KINDS.find((k) => id.startsWith(k.prefix)) === kind);
    for (const resource of await repo.list(kind, ctx.account.accountId, ctx.region.regionName, ids)) {
      resource.tags.forEach((tag, at) =>
        items.push({ seq: (index * 2 ** 32 + resource.seq) * 64 + at + 1, resourceId: resource.resourceId, resourceType: kind.resourceType, ...tag }),
      );
    }
  }
  const kept = applyFilters(items, filters, {
    'resource-id': (item) => item.resourceId,
    'resource-type': (item) => item.resourceType,
    key: (item) => item.key,
    value: (item) => item.value,
  });
  const { page, nextToken } = await paginate(kept, ctx.params, { min: 5, max: 1000 });
  return xml(
    list('tagSet', 'item', page, (item) => xml(leaf('resourceId', item.resourceId), leaf('resourceType', item.resourceType), leaf('key', item.key), leaf('value', item.value))),
    leaf('nextToken', nextToken),
  );
}
