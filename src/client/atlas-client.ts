import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A small Atlas Admin API client with HTTP Digest authentication (what the Atlas CLI and SDKs do):
 * the first request goes out unauthenticated, the 401 challenge is answered, and the nonce is
 * reused with an increasing `nc` until the server says `stale=true` or rejects it. Used by the
 * privlink CLI, the tests and the benchmarks.
 */
export interface AtlasClientOptions {
  /** e.g. `http://127.0.0.1:8080` (a trailing slash is ignored). */
  readonly baseUrl: string;
  readonly publicKey: string;
  readonly privateKey: string;
  /** Digest algorithm to answer with when offered (default MD5, as Atlas clients). */
  readonly algorithm?: 'MD5' | 'SHA-256';
  /** Request timeout in ms (default 30 s). */
  readonly timeoutMs?: number;
  /** Keep-alive agent to reuse connections (default: a private keep-alive agent). */
  readonly agent?: Agent;
}

/** A raw response: status, headers and body text (parsed JSON in `json` when the body is JSON). */
export interface AtlasResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: unknown;
}

export interface RequestOptions {
  /** Request body (serialised as JSON). */
  readonly body?: unknown;
  /** Request body sent as is instead of `body` (e.g. to send text that is not JSON). */
  readonly rawBody?: string;
  /**
   * Accept / Content-Type media type; default the v2 2023-01-01 type for /api/atlas/v2 paths (v2
   * answers 406 without a versioned Accept), else application/json. `headers` override both.
   */
  readonly mediaType?: string;
  readonly headers?: Record<string, string>;
}

/** Raised when the server cannot be reached (connection refused, timeout, DNS). */
export class AtlasNetworkError extends Error {
  override readonly name = 'AtlasNetworkError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface Challenge {
  realm: string;
  nonce: string;
  qop: string | undefined;
  algorithm: string;
  opaque: string | undefined;
  nc: number;
}

export class AtlasClient {
  private challenge: Challenge | undefined;
  private readonly agent: Agent;
  readonly baseUrl: string;

  constructor(private readonly options: AtlasClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.agent = options.agent ?? new Agent({ keepAlive: true, maxSockets: 16 });
  }

  /** Sends one request; answers a Digest challenge transparently. Never throws on HTTP status. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<AtlasResponse> {
    const mediaType = options.mediaType ?? (path.startsWith('/api/atlas/v2') ? 'application/vnd.atlas.2023-01-01+json' : 'application/json');
    for (let attempt = 0; attempt < 3; attempt++) {
      const authorization = this.challenge ? this.authorize(method, path) : undefined;
      const response = await this.send(method, path, mediaType, options, authorization);
      if (response.status !== 401) return response;
      const offered = parseChallenges(response.headers['www-authenticate']);
      const wanted = offered.find((c) => c.algorithm.toUpperCase() === (this.options.algorithm ?? 'MD5')) ?? offered[0];
      const stale = /stale=true/i.test(String(response.headers['www-authenticate'] ?? ''));
      // Retry once with a fresh challenge if we had none (first request) or it went stale.
      if (!wanted || (authorization && !stale)) return response;
      this.challenge = wanted;
    }
    throw new AtlasNetworkError('Digest authentication did not converge', undefined);
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('POST', path, { ...options, body });
  }
  patch(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('PATCH', path, { ...options, body });
  }
  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }

  /** Closes kept-alive connections. */
  close(): void {
    if (!this.options.agent) this.agent.destroy();
  }

  private authorize(method: string, uri: string): string {
    const challenge = this.challenge!;
    challenge.nc += 1;
    const nc = challenge.nc.toString(16).padStart(8, '0');
    const cnonce = randomBytes(8).toString('hex');
    const sha = challenge.algorithm.toUpperCase().startsWith('SHA-256');
    const h = (text: string) =>
      createHash(sha ? 'sha256' : 'md5')
        .update(text)
        .digest('hex');
    let ha1 = h(`${this.options.publicKey}:${challenge.realm}:${this.options.privateKey}`);
    if (challenge.algorithm.toUpperCase().endsWith('-SESS')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
    const ha2 = h(`${method}:${uri}`);
    const response = h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return (
      `Digest username="${this.options.publicKey}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", ` +
      `algorithm=${challenge.algorithm}, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"` +
      (challenge.opaque ? `, opaque="${challenge.opaque}"` : '')
    );
  }

  private send(method: string, path: string, mediaType: string, options: RequestOptions, authorization: string | undefined): Promise<AtlasResponse> {
    const url = new URL(this.baseUrl + path);
    const body = options.rawBody !== undefined ? Buffer.from(options.rawBody) : options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { accept: mediaType, ...(body ? { 'content-type': mediaType } : {}), ...(options.headers ?? {}) };
    if (body) headers['content-length'] = String(body.length);
    if (authorization) headers.authorization = authorization;
    const requester = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = requester(url, { method, headers, agent: url.protocol === 'https:' ? undefined : this.agent, timeout: this.options.timeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (/json/i.test(String(res.headers['content-type'] ?? '')) && text.length > 0) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`Request to ${url.origin} timed out`), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => reject(new AtlasNetworkError(`Cannot reach ${url.origin}: ${error.code ?? error.message}`, error.code)));
      if (body) req.write(body);
      req.end();
    });
  }
}

function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const out: Challenge[] = [];
  for (const value of values) {
    // Node joins repeated WWW-Authenticate headers with ", "; split before each "Digest ".
    for (const part of value.split(/,?\s*(?=Digest\s)/i)) {
      if (!/^Digest\s/i.test(part)) continue;
      const params = new Map<string, string>();
      const pattern = /([a-zA-Z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g;
      for (let m = pattern.exec(part); m; m = pattern.exec(part)) params.set(m[1]!.toLowerCase(), m[2] ?? m[3]!);
      const nonce = params.get('nonce');
      if (!nonce) continue;
      out.push({
        realm: params.get('realm') ?? '',
        nonce,
        qop: params.get('qop'),
        algorithm: params.get('algorithm') ?? 'MD5',
        opaque: params.get('opaque'),
        nc: 0,
      });
    }
  }
  return out;
}
