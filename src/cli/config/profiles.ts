import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { CliError } from '../framework/cli-errors.js';

/**
 * Profiles in `config.toml`: one TOML table per profile, as the Atlas CLI keeps them:
 *
 *   [default]
 *   ops_manager_url = "http://localhost:8080/"
 *   public_api_key = "abcdefgh"
 *   private_api_key = "…"
 *   project_id = "6a79…"
 *
 * Top-level scalar keys (Atlas's `telemetry_enabled` and the like) are kept as they are.
 * The file is written atomically with mode 0600 (its directory 0700) because it holds keys.
 */
export type Profile = Record<string, string>;

export interface ConfigFile {
  readonly path: string;
  readonly profiles: Record<string, Profile>;
  /** Top-level non-table values, preserved on write. */
  readonly globals: Record<string, unknown>;
}

/** `$XDG_CONFIG_HOME/privlink/config.toml`, else `$HOME/.config/privlink/config.toml`. */
export function configFilePath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'privlink', 'config.toml');
}

/** Reads the file; a missing file is an empty configuration. A malformed one is an error. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, profiles: {}, globals: {} };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`${path} is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
  const profiles: Record<string, Profile> = {};
  const globals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(document)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
      const profile: Profile = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') profile[key] = String(item);
      }
      profiles[name] = profile;
    } else globals[name] = value;
  }
  return { path, profiles, globals };
}

/** Writes the file atomically (temp file + rename) with mode 0600, creating its directory 0700. */
export function writeConfigFile(file: ConfigFile): void {
  mkdirSync(dirname(file.path), { recursive: true, mode: 0o700 });
  const document: Record<string, unknown> = { ...file.globals };
  for (const name of Object.keys(file.profiles).sort()) {
    const profile = file.profiles[name]!;
    document[name] = Object.fromEntries(
      Object.keys(profile)
        .sort()
        .map((k) => [k, profile[k]]),
    );
  }
  const temp = `${file.path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${stringify(document)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The mode given to open() is masked by the umask; make sure it is exactly 0600.
  chmodSync(temp, 0o600);
  renameSync(temp, file.path);
}
