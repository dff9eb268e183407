import { AtlasClient, AtlasNetworkError } from '../../client/atlas-client.js';
import { ApiRequestError, ApiUnreachableError } from './api-error.js';

/**
 * The narrow API interface commands use: one call per request, the JSON body of a 2xx answer
 * returned, anything else thrown as ApiRequestError (HTTP status ≥ 300) or ApiUnreachableError
 * (connection refused, timeout). Every path is a v2 path (`/api/atlas/v2/…`), whose media type
 * the AtlasClient sets (`application/vnd.atlas.2023-01-01+json`) unless `mediaType` is given.
 *
 * `T` names the answer's wire type (`src/api/atlas/wire/`, e.g.
 * `api.get<EndpointServiceWire>(…)`): the body is the server's JSON as sent, not checked
 * against it, so a command reads optional-looking fields defensively.
 */
export interface AdminApi {
  get<T = unknown>(path: string, options?: CallOptions): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  patch<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  delete<T = unknown>(path: string, options?: CallOptions): Promise<T>;
}

export interface CallOptions {
  /** e.g. `application/vnd.atlas.2024-08-05+json` for the clusters API. */
  readonly mediaType?: string;
}

/** Joins a path from literal segments and escaped parameters: `apiPath\`/groups/${id}\``. */
export function apiPath(strings: TemplateStringsArray, ...params: string[]): string {
  return strings.reduce((path, literal, i) => path + literal + (i < params.length ? encodeURIComponent(params[i]!) : ''), '');
}

export class ApiSession implements AdminApi {
  constructor(private readonly client: AtlasClient) {}

  get<T = unknown>(path: string, options?: CallOptions): Promise<T> {
    return this.call<T>('GET', path, undefined, options);
  }
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T> {
    return this.call<T>('POST', path, body, options);
  }
  patch<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T> {
    return this.call<T>('PATCH', path, body, options);
  }
  delete<T = unknown>(path: string, options?: CallOptions): Promise<T> {
    return this.call<T>('DELETE', path, undefined, options);
  }

  close(): void {
    this.client.close();
  }

  private async call<T>(method: string, path: string, body: unknown, options: CallOptions | undefined): Promise<T> {
    const url = this.client.baseUrl + path;
    let response;
    try {
      response = await this.client.request(method, path, { ...(body !== undefined ? { body } : {}), ...(options?.mediaType ? { mediaType: options.mediaType } : {}) });
    } catch (error) {
      if (error instanceof AtlasNetworkError) throw new ApiUnreachableError(url, method, error.message);
      throw error;
    }
    if (response.status >= 300) throw new ApiRequestError(url, method, response.status, response.json, response.text);
    return response.json as T;
  }
}
