import { AssertionError } from 'node:assert';
import { appServicesContractErrors } from './appservices-contract.js';

/**
 * A small App Services Admin API (v3) client over Node's fetch: login with an Atlas API key pair,
 * then Bearer requests. Answers are returned as they come (status, JSON body), each checked first
 * against the official v3 spec: an answer that does not conform throws an AssertionError, so every
 * test that drives the v3 API also checks its shapes.
 */
export interface V3Response {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
  readonly headers: Headers;
}

export class AppServicesClient {
  accessToken: string | undefined;
  refreshToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** The v3 base URL: `<server>/api/admin/v3.0`. */
  get base(): string {
    return `${this.baseUrl}/api/admin/v3.0`;
  }

  async login(publicKey: string, privateKey: string): Promise<V3Response> {
    const res = await this.send('POST', '/auth/providers/mongodb-cloud/login', { username: publicKey, apiKey: privateKey }, null);
    if (res.status === 200) {
      const body = res.json as { access_token: string; refresh_token: string };
      this.accessToken = body.access_token;
      this.refreshToken = body.refresh_token;
    }
    return res;
  }

  get(path: string): Promise<V3Response> {
    return this.send('GET', path);
  }
  post(path: string, body?: unknown): Promise<V3Response> {
    return this.send('POST', path, body);
  }
  put(path: string, body?: unknown): Promise<V3Response> {
    return this.send('PUT', path, body);
  }
  patch(path: string, body?: unknown): Promise<V3Response> {
    return this.send('PATCH', path, body);
  }
  delete(path: string): Promise<V3Response> {
    return this.send('DELETE', path);
  }

  /** Sends a request with `token` as Bearer (default: the access token; null: none). */
  async send(method: string, path: string, body?: unknown, token: string | null | undefined = this.accessToken): Promise<V3Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const violations = appServicesContractErrors(method, path, res.status, json ?? (text ? text : undefined));
    if (violations.length > 0) throw new AssertionError({ message: `${method} ${path} → ${res.status} ${text}\ndoes not conform to the v3 spec:\n${violations.join('\n')}` });
    return { status: res.status, json, text, headers: res.headers };
  }
}
