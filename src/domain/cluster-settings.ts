import { apiError } from './errors.js';

/** One `{key, value}` pair of a cluster's `labels` (ComponentLabel) or `tags` (ResourceTag). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/**
 * The attributes of Atlas's cluster document that are not topology: privlink stores them as sent
 * and returns them. They change nothing else (a paused cluster's nodes keep running), except
 * `terminationProtectionEnabled`, which refuses deletion.
 */
export interface ClusterSettings {
  readonly labels: readonly KeyValue[];
  readonly tags: readonly KeyValue[];
  readonly paused: boolean;
  readonly terminationProtectionEnabled: boolean;
  readonly backupEnabled: boolean;
  readonly pitEnabled: boolean;
  readonly redactClientLogData: boolean;
  readonly globalClusterSelfManagedSharding: boolean;
  readonly versionReleaseSystem: string;
  readonly rootCertType: string;
  readonly diskWarmingMode: string;
  readonly encryptionAtRestProvider: string;
  readonly replicaSetScalingStrategy: string;
  readonly biConnectorReadPreference: string;
}

/** What a cluster has when its body says nothing (Atlas's defaults). */
const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  labels: [],
  tags: [],
  paused: false,
  terminationProtectionEnabled: false,
  backupEnabled: false,
  pitEnabled: false,
  redactClientLogData: false,
  globalClusterSelfManagedSharding: false,
  versionReleaseSystem: 'LTS',
  rootCertType: 'ISRGROOTX1',
  diskWarmingMode: 'FULLY_WARMED',
  encryptionAtRestProvider: 'NONE',
  replicaSetScalingStrategy: 'WORKLOAD_TYPE',
  biConnectorReadPreference: 'secondary',
};

const BOOLEANS = ['paused', 'terminationProtectionEnabled', 'backupEnabled', 'pitEnabled', 'redactClientLogData', 'globalClusterSelfManagedSharding'] as const;

const ENUMS = {
  versionReleaseSystem: ['LTS', 'CONTINUOUS'],
  rootCertType: ['ISRGROOTX1'],
  diskWarmingMode: ['FULLY_WARMED', 'VISIBLE_EARLIER'],
  encryptionAtRestProvider: ['NONE', 'AWS', 'AZURE', 'GCP'],
  replicaSetScalingStrategy: ['WORKLOAD_TYPE', 'SEQUENTIAL', 'NODE_TYPE'],
} as const;

const READ_PREFERENCES = ['primary', 'secondary', 'analytics'];

/** Top-level attributes a create or PATCH body may carry that the topology parser reads. */
const TOPOLOGY_ATTRIBUTES = ['name', 'clusterType', 'replicationSpecs', 'biConnector', 'mongoDBMajorVersion', 'privlinkTargets'];

/**
 * Attributes Atlas computes (readOnly in its OpenAPI description): accepted and ignored, so the
 * body of a GET can be sent back as a PATCH.
 */
const READ_ONLY_ATTRIBUTES = [
  'id',
  'groupId',
  'createDate',
  'stateName',
  'connectionStrings',
  'links',
  'mongoDBVersion',
  'featureCompatibilityVersion',
  'featureCompatibilityVersionExpirationDate',
  'configServerType',
];

const KNOWN_ATTRIBUTES = new Set<string>([...TOPOLOGY_ATTRIBUTES, ...READ_ONLY_ATTRIBUTES, 'labels', 'tags', ...BOOLEANS, ...Object.keys(ENUMS)]);

/** At most this many labels and tags (Atlas's limit on resource tags). */
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 255;

/**
 * Refuses any attribute of `input` that is not in `known`, with 400 INVALID_ATTRIBUTE naming it
 * (`path` prefixes nested names: `replicationSpecs[0].regionConfigs[0].autoScaling`).
 */
export function rejectUnknownAttributes(input: Record<string, unknown>, known: ReadonlySet<string>, path?: string): void {
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw apiError('INVALID_ATTRIBUTE', path ? `${path}.${key}` : key);
  }
}

/**
 * Parses the settings of a create or (merged) PATCH body: every top-level attribute must be one
 * privlink knows (else 400 INVALID_ATTRIBUTE naming it); absent ones take Atlas's defaults.
 */
export function parseClusterSettings(input: Record<string, unknown>): ClusterSettings {
  rejectUnknownAttributes(input, KNOWN_ATTRIBUTES);
  const settings: Record<string, unknown> = { ...DEFAULT_CLUSTER_SETTINGS };
  for (const name of BOOLEANS) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean') throw apiError('INVALID_ATTRIBUTE', name);
    settings[name] = value;
  }
  for (const [name, values] of Object.entries(ENUMS)) {
    const value = input[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw apiError('INVALID_ENUM_VALUE', value, name);
    settings[name] = value;
  }
  settings.labels = parseKeyValues(input.labels, 'labels');
  settings.tags = parseKeyValues(input.tags, 'tags');
  const bi = input.biConnector;
  if (typeof bi === 'object' && bi !== null && !Array.isArray(bi)) {
    const preference = (bi as Record<string, unknown>).readPreference;
    if (preference !== undefined && preference !== null) {
      if (typeof preference !== 'string' || !READ_PREFERENCES.includes(preference)) throw apiError('INVALID_ENUM_VALUE', preference, 'biConnector.readPreference');
      settings.biConnectorReadPreference = preference;
    }
  }
  return settings as unknown as ClusterSettings;
}

function parseKeyValues(value: unknown, name: string): KeyValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw apiError('INVALID_ATTRIBUTE', name);
  if (value.length > MAX_TAGS) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', name, MAX_TAGS, value.length);
  return value.map((item, index) => {
    const path = `${name}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw apiError('INVALID_ATTRIBUTE', path);
    const pair = item as Record<string, unknown>;
    rejectUnknownAttributes(pair, new Set(['key', 'value']), path);
    for (const field of ['key', 'value'] as const) {
      const text = pair[field];
      if (typeof text !== 'string' || (field === 'key' && text.length === 0) || text.length > MAX_TAG_LENGTH) throw apiError('INVALID_ATTRIBUTE', `${path}.${field}`);
    }
    return { key: pair.key as string, value: pair.value as string };
  });
}

/** The settings of a stored spec (specs stored before settings existed have none). */
export function settingsOf(spec: { readonly settings?: ClusterSettings }): ClusterSettings {
  return { ...DEFAULT_CLUSTER_SETTINGS, ...(spec.settings ?? {}) };
}

/** The body attributes that would recreate `settings` (for merging PATCH bodies). */
export function settingsToBody(settings: ClusterSettings): Record<string, unknown> {
  const body: Record<string, unknown> = { ...settings };
  delete body.biConnectorReadPreference;
  return body;
}
