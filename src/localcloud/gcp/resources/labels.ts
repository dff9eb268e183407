import { createHash } from 'node:crypto';
import { computeErrors } from '../compute-error.js';
import type { ComputeContext, ComputeAnswer } from '../compute-context.js';
import { renderOperation, startOperation } from '../operations.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';

/**
 * Compute Engine's labels on the kinds that carry them (addresses, forwarding rules), as its
 * documentation states them ("Organize resources using labels", Requirements for labels): "Each
 * resource can have up to 64 labels", "Keys have a minimum length of 1 character and a maximum
 * length of 63 characters, and cannot be empty. Values can be empty, and have a maximum length of
 * 63 characters", "Keys and values can contain only lowercase letters, numeric characters,
 * underscores, and dashes. … international characters are allowed", "Keys must start with a
 * lowercase letter or international character".
 */
export const GCP_LABEL_LIMITS = { labels: 64, length: 63 } as const;

// Lower-case letters and letters without case ("international characters"), digits, `_` and `-`.
const KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*$/u;
const VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]*$/u;

/** The label fingerprint of a resource without labels, as Compute shows it. */
const NO_LABELS_FINGERPRINT = '42WmSpB8rSM=';

/**
 * `labels` of a request body (`field` names it in errors: `resource.labels` in an insert, `labels`
 * in setLabels): a map of strings within the limits above, or {} when absent. Throws Compute's
 * 400 invalid with its wording, naming the first key or value that breaks them.
 */
export function labelsOf(input: JsonObject, field: string): Record<string, string> {
  const value = input.labels;
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw computeErrors.invalidField(field, value, 'Expected a map of strings.');
  const labels: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw computeErrors.invalidField(`${field}.${key}`, item, 'Expected a string.');
    if ([...key].length > GCP_LABEL_LIMITS.length || !KEY.test(key)) throw computeErrors.invalidLabelKey(field, key);
    if ([...item].length > GCP_LABEL_LIMITS.length || !VALUE.test(item)) throw computeErrors.invalidLabelValue(field, item);
    labels[key] = item;
  }
  if (Object.keys(labels).length > GCP_LABEL_LIMITS.labels) throw computeErrors.tooManyLabels(field, GCP_LABEL_LIMITS.labels);
  return labels;
}

/** The stored fields for `labels`: `labels` (left out when empty, as Compute does) and `labelFingerprint`. */
export function labelFields(labels: Readonly<Record<string, string>>): JsonObject {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return { labelFingerprint: NO_LABELS_FINGERPRINT };
  const canonical = JSON.stringify(keys.map((key) => [key, labels[key]]));
  return { labels: { ...labels }, labelFingerprint: createHash('sha256').update(canonical).digest().subarray(0, 8).toString('base64') };
}

/**
 * `POST …/{resource}/setLabels` `{labels, labelFingerprint}`: replaces the resource's labels when
 * `labelFingerprint` is the one it has now (optimistic locking: 412 conditionNotMet otherwise, so
 * two writers cannot overwrite each other's labels unseen). Answers an operation, DONE at once.
 */
export async function setLabels(ctx: ComputeContext, row: ResourceRow, input: JsonObject): Promise<ComputeAnswer> {
  const given = input.labelFingerprint;
  if (typeof given !== 'string' || given === '') throw computeErrors.required('labelFingerprint');
  const labels = labelsOf(input, 'labels');
  if (given !== (row.body.labelFingerprint ?? NO_LABELS_FINGERPRINT)) throw computeErrors.badLabelFingerprint();
  const { labels: _old, labelFingerprint: _fingerprint, ...rest } = row.body;
  await ctx.repos.resources.save({ ...row, body: { ...rest, ...labelFields(labels) } });
  const op = await startOperation(ctx, { target: row, targetId: row.id, operationType: 'setLabels', delayMs: 0, requestId: ctx.query.get('requestId') });
  return { status: 200, body: renderOperation(ctx, op) };
}
