import { computeErrors } from './compute-error.js';
import type { JsonObject, JsonValue } from './store/schema.js';

/**
 * Resource links. Stored documents hold links as resource paths (`projects/p/regions/r/subnetworks/s`),
 * so a restart on another port keeps them valid; answers render them as full URLs
 * (`http://127.0.0.1:4568/compute/v1/projects/…`), as Compute renders `selfLink`s. Inputs may be
 * full URLs of any host, paths from `projects/`, paths from `global/`/`regions/`/`zones/` (the
 * caller's project) or, where Compute allows it, a bare name.
 */

/** A resource's parts, as its path names them. */
export interface ResourcePath {
  readonly project: string;
  /** `global`, `regions/{r}` or `zones/{z}`. */
  readonly scope: string;
  readonly collection: string;
  readonly name: string;
}

const NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const URL_PREFIX = /^https?:\/\/[^/]+\/compute\/(v1|beta|alpha)\//;
const PATH = /^projects\/([^/]+)\/(global|regions\/[^/]+|zones\/[^/]+)\/([A-Za-z]+)\/([^/]+)$/;
const LINKISH = /^projects\/[^/]+\/(global|regions|zones)(\/|$)/;
const NOT_LINKS = new Set(['name', 'description', 'kind', 'id', 'fingerprint']);

/** Whether a name is a valid Compute resource name (RFC 1035: lower case, 1–63 characters). */
export function isValidName(name: string): boolean {
  return NAME.test(name);
}

/** `projects/{project}/{scope}/{collection}/{name}`. */
export function pathOf(p: ResourcePath): string {
  return `projects/${p.project}/${p.scope}/${p.collection}/${p.name}`;
}

/** The region link of a region (`projects/p/regions/r`). */
export function regionPath(project: string, region: string): string {
  return `projects/${project}/regions/${region}`;
}

/** The region of a scope (`regions/r` → r, `zones/us-central1-a` → us-central1), or undefined for global. */
export function regionOfScope(scope: string): string | undefined {
  if (scope.startsWith('regions/')) return scope.slice('regions/'.length);
  if (scope.startsWith('zones/')) return scope.slice('zones/'.length).replace(/-[a-z]$/, '');
  return undefined;
}

/** Parses a resource path; undefined when it is not one. */
export function parsePath(path: string): ResourcePath | undefined {
  const match = PATH.exec(path);
  return match ? { project: match[1]!, scope: match[2]!, collection: match[3]!, name: match[4]! } : undefined;
}

/**
 * The resource path a link names. `expected` is the collection the field takes (and, for a bare
 * name, its scope). Throws 400 invalid naming `field` when the link is malformed or of another
 * collection.
 */
export function normalizeLink(value: unknown, field: string, callerProject: string, expected: { collection: string; scope: string }): ResourcePath {
  if (typeof value !== 'string' || value.length === 0) throw computeErrors.invalidField(field, value, 'Expected a resource URL.');
  let text = value.replace(URL_PREFIX, '');
  if (/^(global|regions|zones)\//.test(text)) text = `projects/${callerProject}/${text}`;
  else if (isValidName(text)) text = `projects/${callerProject}/${expected.scope}/${expected.collection}/${text}`;
  const parsed = parsePath(text);
  if (!parsed || parsed.collection !== expected.collection)
    throw computeErrors.invalidField(field, value, `The URL is malformed or does not name a ${expected.collection} resource.`);
  return parsed;
}

/** The full URL of a stored link under `base` (`http://host:port`). */
export function linkUrl(base: string, path: string): string {
  return `${base}/compute/v1/${path}`;
}

/** A stored document with its links rendered as full URLs under `base`. */
export function renderLinks(base: string, value: JsonValue, key = ''): JsonValue {
  if (typeof value === 'string') return !NOT_LINKS.has(key) && LINKISH.test(value) ? linkUrl(base, value) : value;
  if (Array.isArray(value)) return value.map((v) => renderLinks(base, v, key));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderLinks(base, v, k);
    return out;
  }
  return value;
}
