import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveProfileName, resolveSettings, type Settings } from '../../src/cli/config/settings.js';

/**
 * Decision table of flag > env (PRIVLINK_* before MONGODB_ATLAS_*) > profile > default, one row
 * per source combination and setting.
 */
interface Row {
  readonly setting: keyof Settings;
  readonly flag?: string;
  readonly env?: Record<string, string>;
  readonly profile?: Record<string, string>;
  readonly value: string | undefined;
  readonly source: string;
}

const ROWS: readonly Row[] = [
  // project id: every level, then each level removed in turn
  { setting: 'projectId', flag: 'F', env: { PRIVLINK_PROJECT_ID: 'P', MONGODB_ATLAS_PROJECT_ID: 'M' }, profile: { project_id: 'R' }, value: 'F', source: 'flag' },
  { setting: 'projectId', env: { PRIVLINK_PROJECT_ID: 'P', MONGODB_ATLAS_PROJECT_ID: 'M' }, profile: { project_id: 'R' }, value: 'P', source: 'env PRIVLINK_PROJECT_ID' },
  { setting: 'projectId', env: { MONGODB_ATLAS_PROJECT_ID: 'M' }, profile: { project_id: 'R' }, value: 'M', source: 'env MONGODB_ATLAS_PROJECT_ID' },
  { setting: 'projectId', profile: { project_id: 'R' }, value: 'R', source: 'profile project_id' },
  { setting: 'projectId', value: undefined, source: 'unset' },
  { setting: 'projectId', flag: '', env: { PRIVLINK_PROJECT_ID: '' }, profile: { project_id: 'R' }, value: 'R', source: 'profile project_id' },
  // org id
  { setting: 'orgId', flag: 'F', env: { MONGODB_ATLAS_ORG_ID: 'M' }, profile: { org_id: 'R' }, value: 'F', source: 'flag' },
  { setting: 'orgId', env: { PRIVLINK_ORG_ID: 'P', MONGODB_ATLAS_ORG_ID: 'M' }, value: 'P', source: 'env PRIVLINK_ORG_ID' },
  { setting: 'orgId', env: { MONGODB_ATLAS_ORG_ID: 'M' }, profile: { org_id: 'R' }, value: 'M', source: 'env MONGODB_ATLAS_ORG_ID' },
  { setting: 'orgId', profile: { org_id: 'R' }, value: 'R', source: 'profile org_id' },
  // keys: no flag
  {
    setting: 'publicKey',
    env: { PRIVLINK_PUBLIC_API_KEY: 'P', MONGODB_ATLAS_PUBLIC_API_KEY: 'M' },
    profile: { public_api_key: 'R' },
    value: 'P',
    source: 'env PRIVLINK_PUBLIC_API_KEY',
  },
  { setting: 'publicKey', env: { MONGODB_ATLAS_PUBLIC_API_KEY: 'M' }, profile: { public_api_key: 'R' }, value: 'M', source: 'env MONGODB_ATLAS_PUBLIC_API_KEY' },
  { setting: 'publicKey', profile: { public_api_key: 'R' }, value: 'R', source: 'profile public_api_key' },
  { setting: 'privateKey', env: { PRIVLINK_PRIVATE_API_KEY: 'P', MONGODB_ATLAS_PRIVATE_API_KEY: 'M' }, value: 'P', source: 'env PRIVLINK_PRIVATE_API_KEY' },
  { setting: 'privateKey', env: { MONGODB_ATLAS_PRIVATE_API_KEY: 'M' }, profile: { private_api_key: 'R' }, value: 'M', source: 'env MONGODB_ATLAS_PRIVATE_API_KEY' },
  { setting: 'privateKey', profile: { private_api_key: 'R' }, value: 'R', source: 'profile private_api_key' },
  { setting: 'privateKey', value: undefined, source: 'unset' },
  // base URL: OPS_MANAGER_URL before BASE_URL, ops_manager_url before base_url, default last
  {
    setting: 'baseUrl',
    env: { PRIVLINK_BASE_URL: 'P', MONGODB_ATLAS_OPS_MANAGER_URL: 'O', MONGODB_ATLAS_BASE_URL: 'B' },
    profile: { ops_manager_url: 'R' },
    value: 'P',
    source: 'env PRIVLINK_BASE_URL',
  },
  { setting: 'baseUrl', env: { MONGODB_ATLAS_OPS_MANAGER_URL: 'O', MONGODB_ATLAS_BASE_URL: 'B' }, value: 'O', source: 'env MONGODB_ATLAS_OPS_MANAGER_URL' },
  { setting: 'baseUrl', env: { MONGODB_ATLAS_BASE_URL: 'B' }, profile: { ops_manager_url: 'R' }, value: 'B', source: 'env MONGODB_ATLAS_BASE_URL' },
  { setting: 'baseUrl', profile: { ops_manager_url: 'R', base_url: 'S' }, value: 'R', source: 'profile ops_manager_url' },
  { setting: 'baseUrl', profile: { base_url: 'S' }, value: 'S', source: 'profile base_url' },
  { setting: 'baseUrl', value: 'http://localhost:8080/', source: 'default' },
  // output
  { setting: 'output', flag: 'json', env: { PRIVLINK_OUTPUT: 'plaintext' }, profile: { output: 'plaintext' }, value: 'json', source: 'flag' },
  { setting: 'output', env: { PRIVLINK_OUTPUT: 'json', MONGODB_ATLAS_OUTPUT: 'plaintext' }, value: 'json', source: 'env PRIVLINK_OUTPUT' },
  { setting: 'output', env: { MONGODB_ATLAS_OUTPUT: 'json' }, profile: { output: 'plaintext' }, value: 'json', source: 'env MONGODB_ATLAS_OUTPUT' },
  { setting: 'output', profile: { output: 'json' }, value: 'json', source: 'profile output' },
  { setting: 'output', value: 'plaintext', source: 'default' },
];

describe('settings precedence: flag > env > profile > default', () => {
  for (const row of ROWS) {
    const sources =
      [row.flag !== undefined && 'flag', ...Object.keys(row.env ?? {}), ...Object.keys(row.profile ?? {}).map((k) => `profile:${k}`)].filter(Boolean).join(', ') || 'nothing';
    test(`${row.setting} from {${sources}} is ${row.value ?? 'unset'} (${row.source})`, () => {
      const flags = row.flag === undefined ? {} : { [row.setting === 'output' ? 'output' : row.setting]: row.flag };
      const settings = resolveSettings({ env: row.env ?? {}, profile: row.profile, flags });
      assert.deepEqual(settings[row.setting], { value: row.value, source: row.source });
    });
  }

  test('the profile is -P, else PRIVLINK_PROFILE, else default', () => {
    assert.deepEqual(resolveProfileName('dev', { PRIVLINK_PROFILE: 'ci' }), { name: 'dev', explicit: true });
    assert.deepEqual(resolveProfileName(undefined, { PRIVLINK_PROFILE: 'ci' }), { name: 'ci', explicit: true });
    assert.deepEqual(resolveProfileName(undefined, {}), { name: 'default', explicit: false });
  });
});
