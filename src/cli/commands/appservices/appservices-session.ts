import { STATUS_CODES } from 'node:http';
import { CliError, MissingCredentialsError } from '../../framework/cli-errors.js';
import type { CommandContext } from '../../framework/command-context.js';
import { EXIT } from '../../framework/exit-codes.js';
import { apiPath } from '../../api/api-session.js';

/** An HTTP status ≥ 300 from the App Services Admin API: `<URL> <METHOD>: HTTP <status> <Reason> (Error code: "<error_code>") Detail: <error>`; exit 4 for 401. */
export class AppServicesRequestError extends CliError {
  override readonly name = 'AppServicesRequestError';
  constructor(url: string, method: string, status: number, body: unknown) {
    const error = body && typeof body === 'object' ? (body as { error?: unknown; error_code?: unknown }) : {};
    super(
      `${url} ${method}: HTTP ${status} ${STATUS_CODES[status] ?? ''} (Error code: "${String(error.error_code ?? '')}") Detail: ${String(error.error ?? '')}`,
      status === 401 ? EXIT.AUTHENTICATION : EXIT.ERROR,
    );
  }
}

/** What a login answers. */
export interface LoginAnswer {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly user_id: string;
  readonly device_id: string;
}

/**
 * The App Services Admin API (v3) with the profile's API key: logs in once per command (the key
 * pair for a Bearer token), then sends JSON requests. Answers of status ≥ 300 are thrown as
 * AppServicesRequestError.
 */
export class AppServicesSession {
  private token: Promise<LoginAnswer> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly publicKey: string,
    private readonly privateKey: string,
  ) {}

  /** `POST /auth/providers/mongodb-cloud/login` (once per session). */
  login(): Promise<LoginAnswer> {
    this.token ??= this.send<LoginAnswer>('POST', '/auth/providers/mongodb-cloud/login', { username: this.publicKey, apiKey: this.privateKey }, undefined);
    return this.token;
  }

  async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path, undefined, (await this.login()).access_token);
  }
  async post<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('POST', path, body, (await this.login()).access_token);
  }
  async delete(path: string): Promise<void> {
    await this.send('DELETE', path, undefined, (await this.login()).access_token);
  }

  private async send<T>(method: string, path: string, body: unknown, token: string | undefined): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/admin/v3.0${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(`${url} ${method}: ${(error as Error).message}`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.status >= 300) throw new AppServicesRequestError(url, method, response.status, json);
    return json as T;
  }
}

/** The session for a command, from the profile's base URL and key; exit 4 when no key is configured. */
export function appServicesSession(ctx: CommandContext): AppServicesSession {
  const settings = ctx.settings();
  if (!settings.publicKey.value || !settings.privateKey.value) throw new MissingCredentialsError();
  return new AppServicesSession(settings.baseUrl.value!, settings.publicKey.value, settings.privateKey.value);
}

export const appsPath = (projectId: string) => apiPath`/groups/${projectId}/apps`;
export const securityPath = (projectId: string, appId: string) => apiPath`/groups/${projectId}/apps/${appId}/security`;

/** `--appId`: the app's `_id` (24 hex), required by the private endpoint commands. */
export const APP_ID_FLAG = { syntax: '--appId <appId>', description: "The app's _id (not its client app id), as `privlink appservices apps list` shows it.", required: true };

/** The `--appId` value, checked. */
export function appIdOf(ctx: CommandContext): string {
  const id = ctx.flag('appId') ?? '';
  if (!/^[0-9a-f]{24}$/.test(id)) throw new CliError(`the provided value '${id}' is not a valid app id`);
  return id;
}
