import { AtlasClient, AtlasNetworkError } from '../../client/atlas-client.js';
import { ApiRequestError, ApiUnreachableError } from './api-error.js';

/**
 * The narrow API interface commands use: one call per request, the JSON body of a 2xx answer
 * returned, anything else thrown as ApiRequestError (HTTP status ≥ 300) or ApiUnreachableError
 * (connection refused, timeout). Every path is a v2 path (`/api/atlas/v2/…`), whose media type
 * the AtlasClient sets (`application/vnd.atlas.2023-01-01+json`) unless `mediaType` is given.
 */
export interface AdminApi {
  get(path: string, options?: CallOptions): Promise<unknown>;
  post(path: string, body?: unknown, options?: CallOptions): Promise<unknown>;
  patch(path: string, body?: unknown, options?: CallOptions): Promise<unknown>;
  delete(path: string, options?: CallOptions): Promise<unknown>;
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

  get(path: string, options?: CallOptions) {
    return this.call('GET', path, undefined, options);
  }
  post(path: string, body?: unknown, options?: CallOptions) {
    return this.call('POST', path, body, options);
  }
  patch(path: string, body?: unknown, options?: CallOptions) {
    return this.call('PATCH', path, body, options);
  }
  delete(path: string, options?: CallOptions) {
    return this.call('DELETE', path, undefined, options);
  }

  close(): void {
    this.client.close();
  }

  private async call(method: string, path: string, body: unknown, options: CallOptions | undefined): Promise<unknown> {
    const url = this.client.baseUrl + path;
    let response;
    try {
      response = await this.client.request(method, path, { ...(body !== undefined ? { body } : {}), ...(options?.mediaType ? { mediaType: options.mediaType } : {}) });
    } catch (error) {
      if (error instanceof AtlasNetworkError) throw new ApiUnreachableError(url, method, error.message);
      throw error;
    }
    if (response.status >= 300) throw new ApiRequestError(url, method, response.status, response.json, response.text);
    return response.json;
  }
}
