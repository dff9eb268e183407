/**
 * The keys of a privlink profile. The first seven are the Atlas CLI's own (`atlas config set`),
 * so an Atlas CLI profile copied from `~/.config/atlascli/config.toml` works unchanged;
 * `localcloud_*` are privlink's, for `privlink localcloud aws …`.
 */
export interface ConfigKey {
  readonly name: string;
  readonly description: string;
  /** Never printed (`config describe` shows `redacted`); `config init` does not echo it. */
  readonly secret: boolean;
  /** Returns an error message for a bad value, or undefined. */
  readonly validate?: (value: string) => string | undefined;
}

const objectId = (value: string) => (/^[0-9a-f]{24}$/i.test(value) ? undefined : `the provided value '${value}' is not a valid Id`);
const url = (value: string) => {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : `'${value}' is not a valid URL`;
  } catch {
    return `'${value}' is not a valid URL`;
  }
};
const output = (value: string) => (value === 'json' || value === 'plaintext' ? undefined : `invalid output '${value}', valid values are: json, plaintext`);

export const CONFIG_KEYS: readonly ConfigKey[] = [
  { name: 'public_api_key', description: 'public part of the API key', secret: true },
  { name: 'private_api_key', description: 'private part of the API key', secret: true },
  { name: 'project_id', description: 'default project (--projectId)', secret: false, validate: objectId },
  { name: 'org_id', description: 'default organization (--orgId)', secret: false, validate: objectId },
  { name: 'output', description: 'default output: plaintext or json', secret: false, validate: output },
  { name: 'ops_manager_url', description: 'base URL of the privlink Admin API, e.g. http://localhost:8080/', secret: false, validate: url },
  { name: 'base_url', description: 'alias of ops_manager_url (ops_manager_url wins when both are set)', secret: false, validate: url },
  { name: 'localcloud_endpoint', description: 'local cloud AWS endpoint for `privlink localcloud aws`', secret: false, validate: url },
  { name: 'localcloud_access_key_id', description: 'local cloud customer access key id', secret: true },
  { name: 'localcloud_secret_access_key', description: 'local cloud customer secret access key', secret: true },
];

export function findConfigKey(name: string): ConfigKey | undefined {
  return CONFIG_KEYS.find((key) => key.name === name);
}

export function isSecretKey(name: string): boolean {
  return findConfigKey(name)?.secret ?? false;
}
