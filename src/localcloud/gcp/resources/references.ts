import { computeErrors } from '../compute-error.js';
import type { ComputeContext } from '../compute-context.js';
import { normalizeLink, pathOf, type ResourcePath } from '../links.js';
import { isVisible, type ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';

/** The visible resource at `path`, or 404 notFound naming it. */
export async function requireVisible(ctx: ComputeContext, path: ResourcePath): Promise<ResourceRow> {
  const row = await ctx.repos.resources.find(path);
  if (!row || !isVisible(row, ctx.now)) throw computeErrors.notFound(pathOf(path));
  return row;
}

/** Reads a link field of `input` and returns the visible resource it names (400 for a malformed link, 404 when missing). */
export async function referenced(
  ctx: ComputeContext,
  input: JsonObject,
  field: string,
  expected: { collection: string; scope: string },
): Promise<{ path: ResourcePath; row: ResourceRow }> {
  const path = normalizeLink(input[field], `resource.${field}`, ctx.principal.projectId, expected);
  return { path, row: await requireVisible(ctx, path) };
}

/** The first live resource of `collections` in `project` whose `field` is (or lists) `path`, as a path. */
export async function firstUser(
  ctx: ComputeContext,
  path: string,
  collections: ReadonlyArray<{ collection: string; field: string }>,
  project?: string,
): Promise<string | undefined> {
  for (const { collection, field } of collections) {
    for (const row of await ctx.repos.resources.live({ collection, ...(project ? { project } : {}) }, ctx.now)) {
      const value = row.body[field];
      const hit = Array.isArray(value) ? value.some((v) => v === path || (typeof v === 'object' && v !== null && !Array.isArray(v) && v.group === path)) : value === path;
      if (hit) return `projects/${row.project}/${row.scope}/${row.collection}/${row.name}`;
    }
  }
  return undefined;
}

/** The path of a stored row. */
export function rowPath(row: Pick<ResourceRow, 'project' | 'scope' | 'collection' | 'name'>): string {
  return pathOf(row);
}
