import { CONFIG_KEYS, findConfigKey } from '../../config/config-keys.js';
import { writeConfigFile, type Profile } from '../../config/profiles.js';
import { DEFAULT_BASE_URL } from '../../config/settings.js';
import { FlagError } from '../../framework/cli-errors.js';
import { defineCommand } from '../../framework/command-spec.js';
import { readBootstrapFile } from './bootstrap-file.js';

/**
 * `privlink config init [-P name]`: creates or updates a profile. On a terminal it asks for the
 * base URL, the API key pair (private key not echoed), the project and organization; flags (or
 * `--data-dir` of a local server, read from its bootstrap.json) answer questions in advance, and
 * elsewhere are the only source. Keys are never printed; the file is written 0600.
 */
interface Question {
  readonly key: string;
  readonly prompt: string;
  readonly flag: string;
  readonly required: boolean;
}

const QUESTIONS: readonly Question[] = [
  { key: 'ops_manager_url', prompt: 'URL of the privlink Admin API', flag: 'baseUrl', required: true },
  { key: 'public_api_key', prompt: 'Public API Key', flag: 'publicApiKey', required: true },
  { key: 'private_api_key', prompt: 'Private API Key', flag: 'privateApiKey', required: true },
  { key: 'project_id', prompt: 'Default Project ID', flag: 'projectId', required: false },
  { key: 'org_id', prompt: 'Default Org ID', flag: 'orgId', required: false },
];

export const configInitCommand = defineCommand({
  name: 'init',
  summary: 'Configure a profile to store access settings for your privlink server.',
  description:
    'Asks for the Admin API base URL, the API key pair and the default project and organization, and saves them in the profile (default: "default", or -P/--profile). ' +
    'Flags answer the questions in advance; without a terminal they are the only source. --data-dir reads everything, including the local cloud credentials, from the bootstrap.json of a local `privlink serve`.',
  flags: [
    { syntax: '--base-url <url>', description: `Base URL of the privlink Admin API (profile key ops_manager_url; default ${DEFAULT_BASE_URL}).` },
    { syntax: '--public-api-key <key>', description: 'Public part of the API key.' },
    { syntax: '--private-api-key <key>', description: 'Private part of the API key.' },
    { syntax: '--projectId <projectId>', description: 'Default project ID.' },
    { syntax: '--orgId <orgId>', description: 'Default organization ID.' },
    { syntax: '--data-dir <dir>', description: 'Data directory of a local privlink server: take every value from its bootstrap.json.' },
  ],
  examples: [
    '# Answer the questions on a terminal:\nprivlink config init',
    '# Configure a profile from a local server started with `privlink serve --data-dir ./.privlink`:\nprivlink config init --data-dir ./.privlink',
    '# Configure a second profile without questions:\nprivlink config init -P staging --base-url https://privlink.example.com/ --public-api-key abcdefgh --private-api-key 1f0e…',
  ],
  async run(ctx) {
    const file = ctx.configFile();
    const { name } = ctx.profileName();
    const existing: Profile = { ...(file.profiles[name] ?? {}) };
    const given: Record<string, string | undefined> = {};
    const dataDir = ctx.flag('dataDir');
    if (dataDir) {
      const bootstrap = readBootstrapFile(dataDir);
      Object.assign(given, {
        ops_manager_url: bootstrap.baseUrl,
        public_api_key: bootstrap.publicKey,
        private_api_key: bootstrap.privateKey,
        project_id: bootstrap.projectId,
        org_id: bootstrap.orgId,
        localcloud_endpoint: bootstrap.localCloud?.endpoint,
        localcloud_access_key_id: bootstrap.localCloud?.customer?.accessKeyId,
        localcloud_secret_access_key: bootstrap.localCloud?.customer?.secretAccessKey,
      });
    }
    for (const question of QUESTIONS) given[question.key] = ctx.flag(question.flag) ?? given[question.key];

    const profile: Profile = { ...existing };
    for (const [key, value] of Object.entries(given)) if (value) profile[key] = value;
    if (ctx.io.stdinIsTerminal) {
      ctx.catchInterrupts();
      const prompter = ctx.prompter();
      for (const question of QUESTIONS) {
        if (given[question.key]) continue;
        const secret = findConfigKey(question.key)!.secret;
        const current = profile[question.key] ?? (question.key === 'ops_manager_url' ? DEFAULT_BASE_URL : undefined);
        const label = secret && current ? `${question.prompt} (Enter keeps the current one)` : question.prompt;
        const answer = await prompter.ask(label, { hidden: question.key === 'private_api_key', ...(!secret && current ? { defaultValue: current } : {}) });
        if (answer) profile[question.key] = answer;
      }
    } else {
      profile.ops_manager_url ??= DEFAULT_BASE_URL;
    }

    const missing = QUESTIONS.filter((q) => q.required && !profile[q.key]).map((q) => `"${q.flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}"`);
    if (missing.length > 0) throw new FlagError(`required flag(s) ${missing.join(', ')} not set (no terminal to ask on)`);
    for (const [key, value] of Object.entries(profile)) {
      const problem = CONFIG_KEYS.find((k) => k.name === key)?.validate?.(value);
      if (problem) throw new FlagError(`${key}: ${problem}`);
    }
    file.profiles[name] = profile;
    writeConfigFile(file);
    ctx.out(`Your profile is now configured.\nYou can use [privlink config set] to change these settings at a later time.\n`);
  },
});
