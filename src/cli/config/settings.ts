import type { Profile } from './profiles.js';

/**
 * The effective settings of one command, resolved field by field with the precedence
 *
 *     flag  >  environment (PRIVLINK_* before MONGODB_ATLAS_*)  >  profile  >  default
 *
 * | setting      | flag          | environment (first set wins)                                                   | profile key (first set wins)    | default                  |
 * |--------------|---------------|--------------------------------------------------------------------------------|---------------------------------|--------------------------|
 * | profile name | `-P/--profile`| PRIVLINK_PROFILE                                                               | —                               | `default`                |
 * | base URL     | —             | PRIVLINK_BASE_URL, MONGODB_ATLAS_OPS_MANAGER_URL, MONGODB_ATLAS_BASE_URL        | ops_manager_url, base_url       | `http://localhost:8080/` |
 * | public key   | —             | PRIVLINK_PUBLIC_API_KEY, MONGODB_ATLAS_PUBLIC_API_KEY                           | public_api_key                  | —                        |
 * | private key  | —             | PRIVLINK_PRIVATE_API_KEY, MONGODB_ATLAS_PRIVATE_API_KEY                         | private_api_key                 | —                        |
 * | project id   | `--projectId` | PRIVLINK_PROJECT_ID, MONGODB_ATLAS_PROJECT_ID                                   | project_id                      | —                        |
 * | org id       | `--orgId`     | PRIVLINK_ORG_ID, MONGODB_ATLAS_ORG_ID                                           | org_id                          | —                        |
 * | output       | `-o/--output` | PRIVLINK_OUTPUT, MONGODB_ATLAS_OUTPUT                                           | output                          | `plaintext`              |
 *
 * (MONGODB_ATLAS_OPS_MANAGER_URL before MONGODB_ATLAS_BASE_URL, as atlas-cli-core does.)
 * An empty value counts as unset everywhere. Pure: reads only its arguments.
 */
export interface SettingsInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly profile: Profile | undefined;
  readonly flags: { readonly projectId?: string; readonly orgId?: string; readonly output?: string };
}

export type SettingSource = 'flag' | `env ${string}` | `profile ${string}` | 'default' | 'unset';

export interface Setting {
  readonly value: string | undefined;
  readonly source: SettingSource;
}

export interface Settings {
  readonly baseUrl: Setting;
  readonly publicKey: Setting;
  readonly privateKey: Setting;
  readonly projectId: Setting;
  readonly orgId: Setting;
  readonly output: Setting;
}

export const DEFAULT_BASE_URL = 'http://localhost:8080/';
const DEFAULT_PROFILE = 'default';

interface Rule {
  readonly flag?: keyof SettingsInput['flags'];
  readonly env: readonly string[];
  readonly profile: readonly string[];
  readonly fallback?: string;
}

const RULES: Record<keyof Settings, Rule> = {
  baseUrl: { env: ['PRIVLINK_BASE_URL', 'MONGODB_ATLAS_OPS_MANAGER_URL', 'MONGODB_ATLAS_BASE_URL'], profile: ['ops_manager_url', 'base_url'], fallback: DEFAULT_BASE_URL },
  publicKey: { env: ['PRIVLINK_PUBLIC_API_KEY', 'MONGODB_ATLAS_PUBLIC_API_KEY'], profile: ['public_api_key'] },
  privateKey: { env: ['PRIVLINK_PRIVATE_API_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY'], profile: ['private_api_key'] },
  projectId: { flag: 'projectId', env: ['PRIVLINK_PROJECT_ID', 'MONGODB_ATLAS_PROJECT_ID'], profile: ['project_id'] },
  orgId: { flag: 'orgId', env: ['PRIVLINK_ORG_ID', 'MONGODB_ATLAS_ORG_ID'], profile: ['org_id'] },
  output: { flag: 'output', env: ['PRIVLINK_OUTPUT', 'MONGODB_ATLAS_OUTPUT'], profile: ['output'], fallback: 'plaintext' },
};

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

function resolveOne(rule: Rule, input: SettingsInput): Setting {
  const flag = rule.flag ? input.flags[rule.flag] : undefined;
  if (present(flag)) return { value: flag, source: 'flag' };
  for (const name of rule.env) {
    const value = input.env[name];
    if (present(value)) return { value, source: `env ${name}` };
  }
  for (const key of rule.profile) {
    const value = input.profile?.[key];
    if (present(value)) return { value, source: `profile ${key}` };
  }
  return rule.fallback !== undefined ? { value: rule.fallback, source: 'default' } : { value: undefined, source: 'unset' };
}

/** Resolves every setting (see the table above). */
export function resolveSettings(input: SettingsInput): Settings {
  return {
    baseUrl: resolveOne(RULES.baseUrl, input),
    publicKey: resolveOne(RULES.publicKey, input),
    privateKey: resolveOne(RULES.privateKey, input),
    projectId: resolveOne(RULES.projectId, input),
    orgId: resolveOne(RULES.orgId, input),
    output: resolveOne(RULES.output, input),
  };
}

/** The profile a command uses: `-P/--profile`, else PRIVLINK_PROFILE, else `default`. */
export function resolveProfileName(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): { name: string; explicit: boolean } {
  if (present(flag)) return { name: flag, explicit: true };
  if (present(env.PRIVLINK_PROFILE)) return { name: env.PRIVLINK_PROFILE, explicit: true };
  return { name: DEFAULT_PROFILE, explicit: false };
}
