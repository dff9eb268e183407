import { rejectUnknownAttributes } from './cluster-settings.js';
import { apiError } from './errors.js';
import { findRegion, isCloudProvider, type CloudProvider } from './regions.js';

/** `stateName` values a serverless instance goes through: CREATING → IDLE, → DELETING → gone. */
export type ServerlessState = 'CREATING' | 'IDLE' | 'DELETING';

/** One `{key, value}` tag (`ResourceTag`). */
export interface ServerlessTag {
  readonly key: string;
  readonly value: string;
}

/** What a user asked a serverless instance to be (the stored desired state). */
export interface ServerlessInstanceSpec {
  readonly name: string;
  /** The cloud behind the instance (`providerSettings.backingProviderName`). */
  readonly backingProvider: CloudProvider;
  /** Atlas region name of the backing cloud. */
  readonly regionName: string;
  readonly continuousBackupEnabled: boolean;
  readonly terminationProtectionEnabled: boolean;
  readonly tags: readonly ServerlessTag[];
}

/** A serverless instance as privlink keeps it. */
export interface ServerlessInstanceRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly spec: ServerlessInstanceSpec;
  readonly stateName: ServerlessState;
  readonly deleteRequested: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The MongoDB version serverless instances report (Atlas runs them on the latest release). */
export const SERVERLESS_MONGODB_VERSION = '8.0.0';

/** Atlas's cluster-name rule, which serverless instances share (and their 64-character limit). */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const NAME_LENGTH = 64;
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 255;

const CREATE_ATTRIBUTES = new Set(['name', 'providerSettings', 'serverlessBackupOptions', 'tags', 'terminationProtectionEnabled', 'stateName']);
const UPDATE_ATTRIBUTES = new Set(['serverlessBackupOptions', 'tags', 'terminationProtectionEnabled']);
const PROVIDER_SETTINGS_ATTRIBUTES = new Set(['backingProviderName', 'providerName', 'regionName']);
const BACKUP_ATTRIBUTES = new Set(['serverlessContinuousBackupEnabled']);

/**
 * Parses a create body (`ServerlessInstanceDescriptionCreate`): `name` (cluster-name rules),
 * `providerSettings {backingProviderName AWS|AZURE|GCP, providerName SERVERLESS, regionName}` (a
 * region of the backing cloud, either name form; stored as the Atlas name),
 * `serverlessBackupOptions`, `tags`, `terminationProtectionEnabled`. Unknown attributes are 400
 * INVALID_ATTRIBUTE naming them; `stateName` (read-only) is ignored.
 */
export function parseServerlessCreate(body: unknown): ServerlessInstanceSpec {
  const input = asObject(body, 'body');
  rejectUnknownAttributes(input, CREATE_ATTRIBUTES);
  const name = input.name;
  if (name === undefined || name === null) throw apiError('MISSING_ATTRIBUTE', 'name');
  if (typeof name !== 'string' || !NAME.test(name)) throw apiError('INVALID_ATTRIBUTE', 'name');
  if (name.length > NAME_LENGTH) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'name', `${NAME_LENGTH} characters`, name.length);
  if (input.providerSettings === undefined || input.providerSettings === null) throw apiError('MISSING_ATTRIBUTE', 'providerSettings');
  const settings = asObject(input.providerSettings, 'providerSettings');
  rejectUnknownAttributes(settings, PROVIDER_SETTINGS_ATTRIBUTES, 'providerSettings');
  const providerName = settings.providerName ?? 'SERVERLESS';
  if (providerName !== 'SERVERLESS') throw apiError('INVALID_ENUM_VALUE', providerName, 'providerSettings.providerName');
  const backing = settings.backingProviderName;
  if (backing === undefined || backing === null) throw apiError('MISSING_ATTRIBUTE', 'providerSettings.backingProviderName');
  if (!isCloudProvider(backing)) throw apiError('INVALID_ENUM_VALUE', backing, 'providerSettings.backingProviderName');
  if (settings.regionName === undefined || settings.regionName === null) throw apiError('MISSING_ATTRIBUTE', 'providerSettings.regionName');
  if (typeof settings.regionName !== 'string') throw apiError('INVALID_ATTRIBUTE', 'providerSettings.regionName');
  const region = findRegion(backing, settings.regionName);
  if (!region) throw apiError('INVALID_REGION', settings.regionName, backing);
  const changes = parseServerlessUpdate(pick(input, UPDATE_ATTRIBUTES));
  return {
    name,
    backingProvider: backing,
    regionName: region.atlasName,
    continuousBackupEnabled: changes.continuousBackupEnabled ?? true,
    terminationProtectionEnabled: changes.terminationProtectionEnabled ?? false,
    tags: changes.tags ?? [],
  };
}

/** What a PATCH body changes (`ServerlessInstanceDescriptionUpdate`); absent attributes stay. */
export interface ServerlessInstanceChanges {
  readonly continuousBackupEnabled?: boolean;
  readonly terminationProtectionEnabled?: boolean;
  readonly tags?: readonly ServerlessTag[];
}

/** Parses a PATCH body: only `serverlessBackupOptions`, `tags`, `terminationProtectionEnabled` may change. */
export function parseServerlessUpdate(body: unknown): ServerlessInstanceChanges {
  const input = asObject(body ?? {}, 'body');
  rejectUnknownAttributes(input, UPDATE_ATTRIBUTES);
  const out: { -readonly [K in keyof ServerlessInstanceChanges]: ServerlessInstanceChanges[K] } = {};
  if (input.serverlessBackupOptions !== undefined && input.serverlessBackupOptions !== null) {
    const backup = asObject(input.serverlessBackupOptions, 'serverlessBackupOptions');
    rejectUnknownAttributes(backup, BACKUP_ATTRIBUTES, 'serverlessBackupOptions');
    const enabled = backup.serverlessContinuousBackupEnabled;
    if (enabled !== undefined && enabled !== null) {
      if (typeof enabled !== 'boolean') throw apiError('INVALID_ATTRIBUTE', 'serverlessBackupOptions.serverlessContinuousBackupEnabled');
      out.continuousBackupEnabled = enabled;
    }
  }
  const protection = input.terminationProtectionEnabled;
  if (protection !== undefined && protection !== null) {
    if (typeof protection !== 'boolean') throw apiError('INVALID_ATTRIBUTE', 'terminationProtectionEnabled');
    out.terminationProtectionEnabled = protection;
  }
  if (input.tags !== undefined && input.tags !== null) out.tags = parseTags(input.tags);
  return out;
}

/** The spec with a PATCH's changes applied. */
export function applyServerlessChanges(spec: ServerlessInstanceSpec, changes: ServerlessInstanceChanges): ServerlessInstanceSpec {
  return {
    ...spec,
    ...(changes.continuousBackupEnabled !== undefined ? { continuousBackupEnabled: changes.continuousBackupEnabled } : {}),
    ...(changes.terminationProtectionEnabled !== undefined ? { terminationProtectionEnabled: changes.terminationProtectionEnabled } : {}),
    ...(changes.tags !== undefined ? { tags: changes.tags } : {}),
  };
}

function parseTags(value: unknown): ServerlessTag[] {
  if (!Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', 'tags');
  if (value.length > MAX_TAGS) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'tags', MAX_TAGS, value.length);
  return value.map((item, index) => {
    const path = `tags[${index}]`;
    const pair = asObject(item, path);
    rejectUnknownAttributes(pair, new Set(['key', 'value']), path);
    for (const field of ['key', 'value'] as const) {
      const text = pair[field];
      if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TAG_LENGTH) throw apiError('INVALID_ATTRIBUTE', `${path}.${field}`);
    }
    return { key: pair.key as string, value: pair.value as string };
  });
}

function pick(input: Record<string, unknown>, names: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => names.has(key)));
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', path);
  return value as Record<string, unknown>;
}
