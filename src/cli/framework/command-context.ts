import { AtlasClient } from '../../client/atlas-client.js';
import { ApiSession, type AdminApi } from '../api/api-session.js';
import { configFilePath, readConfigFile, type ConfigFile, type Profile } from '../config/profiles.js';
import { resolveProfileName, resolveSettings, type Settings } from '../config/settings.js';
import { JsonPathError } from '../output/json-path.js';
import { GoTemplateError } from '../output/go-template.js';
import { parseOutputFormat, renderOutput, type HumanTemplate, type OutputFormat } from '../output/output-format.js';
import { CancelledError, CliError, FlagError, MissingCredentialsError } from './cli-errors.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import { Prompter } from './prompt.js';

/**
 * What a command's `run` receives: its flags, the io, and lazily built services (configuration,
 * the Admin API session, the output printer, prompts). Everything a command reads from outside
 * comes through here. `close()` releases sockets and stdin when the command ends.
 */
export class CommandContext {
  private cachedConfig: ConfigFile | undefined;
  private cachedSettings: Settings | undefined;
  private cachedFormat: OutputFormat | undefined;
  private session: ApiSession | undefined;
  private cachedPrompter: Prompter | undefined;
  private interruptOff: (() => void) | undefined;

  constructor(
    readonly io: CliIo,
    /** `privlink privateEndpoints aws describe` */
    readonly commandPath: string,
    /** Parsed local flags by attribute name (`projectId`, `force`, `output`, …). */
    readonly flags: Readonly<Record<string, unknown>>,
    /** Global flags (`profile`). */
    readonly globals: Readonly<{ profile?: string }>,
    /** Builds the API session; tests may replace it. */
    private readonly connect: (settings: Settings) => ApiSession = (settings) =>
      new ApiSession(new AtlasClient({ baseUrl: settings.baseUrl.value!, publicKey: settings.publicKey.value!, privateKey: settings.privateKey.value! })),
  ) {}

  /** A string flag's value, or undefined when unset or empty. */
  flag(name: string): string | undefined {
    const value = this.flags[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** A boolean flag. */
  bool(name: string): boolean {
    return this.flags[name] === true;
  }

  /** A repeatable/variadic flag's values (also accepts comma-separated values, as cobra's StringSlice). */
  list(name: string): string[] {
    const value = this.flags[name];
    const items = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
    return items
      .flatMap((item) => item.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  get terminal(): boolean {
    return this.io.stdoutIsTerminal;
  }

  configPath(): string {
    return configFilePath(this.io.env);
  }

  configFile(): ConfigFile {
    this.cachedConfig ??= readConfigFile(this.configPath());
    return this.cachedConfig;
  }

  profileName(): { name: string; explicit: boolean } {
    return resolveProfileName(this.globals.profile, this.io.env);
  }

  /** The profile in use; one named with -P/PRIVLINK_PROFILE must exist, the default one need not. */
  profile(): Profile | undefined {
    const { name, explicit } = this.profileName();
    const profile = this.configFile().profiles[name];
    if (explicit && !profile) throw new CliError(`profile '${name}' does not exist in ${this.configPath()}; create it with: privlink config init -P ${name}`);
    return profile;
  }

  settings(): Settings {
    if (!this.cachedSettings) {
      const profile = this.profile();
      this.cachedSettings = resolveSettings({
        env: this.io.env,
        profile,
        flags: { projectId: this.flag('projectId'), orgId: this.flag('orgId'), output: this.flag('output') },
      });
    }
    return this.cachedSettings;
  }

  /**
   * The project of the command (`--projectId` > env > profile); Atlas's errors when missing or
   * malformed. A missing one says how to set it: most often no profile exists yet.
   */
  projectId(): string {
    const id = this.settings().projectId.value;
    if (!id) throw new FlagError(this.missingSetting('projectId', 'project_id', 'MONGODB_ATLAS_PROJECT_ID'));
    if (!/^[0-9a-fA-F]{24}$/.test(id)) throw new FlagError(`the provided value '${id}' is not a valid Id`);
    return id;
  }

  /** The organization of the command (`--orgId` > env > profile). */
  orgId(): string {
    const id = this.settings().orgId.value;
    if (!id) throw new FlagError(this.missingSetting('orgId', 'org_id', 'MONGODB_ATLAS_ORG_ID'));
    if (!/^[0-9a-fA-F]{24}$/.test(id)) throw new FlagError(`the provided value '${id}' is not a valid Id`);
    return id;
  }

  /** `required flag(s) "projectId" not set`, then the ways to set it for this configuration. */
  private missingSetting(flag: string, key: string, env: string): string {
    const { name } = this.profileName();
    const select = name === 'default' ? '' : ` -P ${name}`;
    const fix = this.profile()
      ? `Profile '${name}' has no ${key}. Run: privlink config set ${key} <id>${select}`
      : `No profile '${name}' is configured. Run: privlink config init${select}`;
    return `required flag(s) "${flag}" not set\n\n${fix}, or pass --${flag} <id>, or set ${env}.`;
  }

  /** The `-o` format (flag > env > profile `output` > plaintext), parsed once; a bad one is a flag error. */
  outputFormat(): OutputFormat {
    this.cachedFormat ??= parseOutputFormat(this.settings().output.value ?? 'plaintext');
    return this.cachedFormat;
  }

  /** The Admin API with the configured key; exit 4 when no key is configured. */
  api(): AdminApi {
    if (!this.session) {
      const settings = this.settings();
      if (!settings.publicKey.value || !settings.privateKey.value) throw new MissingCredentialsError();
      try {
        new URL(settings.baseUrl.value!);
      } catch {
        throw new CliError(`the base URL '${settings.baseUrl.value}' (${settings.baseUrl.source}) is not a valid URL`);
      }
      this.session = this.connect(settings);
    }
    return this.session;
  }

  /** Writes data to stdout. */
  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** Writes progress or notices to stderr. */
  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** Prints an API body in the chosen output format (`human` for plaintext). */
  print(body: unknown, human: HumanTemplate): void {
    this.render(this.outputFormat(), body, human);
  }

  /** Prints `body` through its human template whatever `-o` says (commands with their own `-o`). */
  printHuman(body: unknown, human: HumanTemplate): void {
    this.render({ kind: 'plaintext' }, body, human);
  }

  private render(format: OutputFormat, body: unknown, human: HumanTemplate): void {
    let text: string;
    try {
      text = renderOutput(format, body, human, this.terminal);
    } catch (error) {
      if (error instanceof JsonPathError || error instanceof GoTemplateError) throw new CliError(error.message);
      throw error;
    }
    this.out(text);
  }

  prompter(): Prompter {
    this.cachedPrompter ??= new Prompter(this.io);
    return this.cachedPrompter;
  }

  /**
   * The delete confirmation of the Atlas CLI: without `--force`, asks on a terminal
   * (`? Are you sure you want to delete: <entry> (y/N)`) and refuses elsewhere. A "no" throws
   * CancelledError(declined) → exit 2.
   */
  async confirmDelete(entry: string, declined: string): Promise<void> {
    if (this.bool('force')) return;
    if (!this.io.stdinIsTerminal) {
      throw new FlagError(`not a terminal, so no confirmation can be asked for deleting '${entry}'; use --force to delete without asking`);
    }
    this.catchInterrupts();
    if (!(await this.prompter().confirm(`Are you sure you want to delete: ${entry}`))) throw new CancelledError(declined);
  }

  /** From now on Ctrl-C ends the command with exit code 2 (watch, prompts). */
  catchInterrupts(): void {
    this.interruptOff ??= this.io.onInterrupt(() => {
      this.io.stderr.write('\n');
      this.close();
      this.io.exit(EXIT.CANCELLED);
    });
  }

  close(): void {
    this.session?.close();
    this.cachedPrompter?.close();
    this.interruptOff?.();
    this.interruptOff = undefined;
  }
}
