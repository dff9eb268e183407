import { createHmac, hash as oneShotHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DIGEST_REALM, type DigestSecrets } from '../../domain/digest-secrets.js';

/**
 * HTTP Digest authentication, server side (RFC 7616 with qop=auth; MD5 and SHA-256, and their
 * -sess variants), as Atlas does it for API keys: realm "MMS Public API", MD5 offered first
 * (most Atlas clients are MD5-only), SHA-256 second.
 *
 * Nonces are stateless: base64url(issued-at ‖ random ‖ HMAC(secret)), so every replica that
 * shares the secret (kept in the store) accepts every other replica's nonces. A nonce older than
 * `nonceTtlMs` is answered with `stale=true` so clients retry without asking the user. A request
 * counter (`nc`) used twice with one nonce is a replay and is refused (RFC 7616 §3.3: the client
 * increments nc); a per-process sliding window tolerates requests of concurrent connections
 * arriving out of order (a replay sent to another replica within the nonce lifetime is not
 * detected; see docs/decisions.md).
 */
export { DIGEST_REALM, digestHa1, type DigestSecrets } from '../../domain/digest-secrets.js';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** Parsed `Authorization: Digest …` parameters. */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm: DigestAlgorithm;
  readonly qop: string | undefined;
  readonly nc: string | undefined;
  readonly cnonce: string | undefined;
  readonly opaque: string | undefined;
}

export type DigestVerdict = { readonly ok: true } | { readonly ok: false; readonly stale: boolean; readonly reason: string };

/**
 * Parses an `Authorization` header; undefined when it is not a Digest header or is malformed.
 * Parameters are `name=token` or `name="quoted"` (backslash escapes), names case-insensitive, the
 * last of a repeated name wins, anything else between them is skipped. A single pass over the
 * header (it runs on every Admin API request).
 */
export function parseDigestAuthorization(header: string | undefined): DigestCredentials | undefined {
  if (!header || !/^digest\s/i.test(header)) return undefined;
  let username: string | undefined;
  let realm: string | undefined;
  let nonce: string | undefined;
  let uri: string | undefined;
  let response: string | undefined;
  let algorithm: string | undefined;
  let qop: string | undefined;
  let nc: string | undefined;
  let cnonce: string | undefined;
  let opaque: string | undefined;
  const end = header.length;
  let i = header.indexOf(' ') + 1;
  while (i < end) {
    if (!isNameChar(header.charCodeAt(i))) {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < end && isNameChar(header.charCodeAt(i))) i++;
    const nameEnd = i;
    let j = skipSpaces(header, i);
    if (header.charCodeAt(j) !== EQUALS) continue;
    j = skipSpaces(header, j + 1);
    const quoted = header.charCodeAt(j) === QUOTE ? quotedValue(header, j) : undefined;
    let value: string;
    if (quoted) {
      value = quoted.value;
      i = quoted.next;
    } else {
      let k = j;
      while (k < end && !isSpace(header.charCodeAt(k)) && header.charCodeAt(k) !== COMMA) k++;
      if (k === j) continue;
      value = header.slice(j, k);
      i = k;
    }
    switch (header.slice(nameStart, nameEnd).toLowerCase()) {
      case 'username':
        username = value;
        break;
      case 'realm':
        realm = value;
        break;
      case 'nonce':
        nonce = value;
        break;
      case 'uri':
        uri = value;
        break;
      case 'response':
        response = value;
        break;
      case 'algorithm':
        algorithm = value;
        break;
      case 'qop':
        qop = value;
        break;
      case 'nc':
        nc = value;
        break;
      case 'cnonce':
        cnonce = value;
        break;
      case 'opaque':
        opaque = value;
        break;
    }
  }
  if (!username || !nonce || !uri || !response || realm === undefined) return undefined;
  const normalised = normaliseAlgorithm(algorithm ?? 'MD5');
  if (!normalised) return undefined;
  return { username, realm, nonce, uri, response: response.toLowerCase(), algorithm: normalised, qop, nc, cnonce, opaque };
}

const EQUALS = 0x3d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/** `[a-zA-Z0-9_-]` */
function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d;
}

/** JavaScript's `\s`. */
function isSpace(c: number): boolean {
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0) return true;
  return c > 0xff && /\s/.test(String.fromCharCode(c));
}

/** A line terminator (what a regular expression's `.` does not match). */
function isLineTerminator(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The unescaped content of the quoted string opening at `from`, or undefined when it is not closed. */
function quotedValue(text: string, from: number): { value: string; next: number } | undefined {
  // Usual case first: no backslash before the closing quote, so the value is the text between.
  const close = text.indexOf('"', from + 1);
  if (close !== -1) {
    const backslash = text.indexOf('\\', from + 1);
    if (backslash === -1 || backslash > close) return { value: text.slice(from + 1, close), next: close + 1 };
  }
  let value = '';
  let chunk = from + 1;
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { value: value + text.slice(chunk, i), next: i + 1 };
    if (c !== BACKSLASH) continue;
    if (i + 1 >= text.length || isLineTerminator(text.charCodeAt(i + 1))) return undefined;
    value += text.slice(chunk, i);
    chunk = i + 1;
    i++;
  }
  return undefined;
}

function normaliseAlgorithm(value: string): DigestAlgorithm | undefined {
  const upper = value.toUpperCase();
  if (upper === 'MD5') return 'MD5';
  if (upper === 'MD5-SESS') return 'MD5-sess';
  if (upper === 'SHA-256') return 'SHA-256';
  if (upper === 'SHA-256-SESS') return 'SHA-256-sess';
  return undefined;
}

/**
 * Issues and checks nonces and responses. One instance per process; `secret` must be the same
 * on every replica.
 */
export class DigestAuthority {
  private readonly replays: ReplayWindow;
  /** Nonces whose signature was checked (nonce → issued-at), so the HMAC runs once per nonce. */
  private readonly verifiedNonces = new Map<string, number>();
  /** H(method:uri) by algorithm and method (see `ha2`), `requestHashCount` of them in all. */
  private readonly requestHashes = new Map<string, Map<string, string>>();
  private requestHashCount = 0;

  constructor(
    private readonly secret: Buffer,
    private readonly options: { nonceTtlMs: number; now?: () => number; replayCacheSize?: number } = { nonceTtlMs: 300_000 },
  ) {
    this.replays = new ReplayWindow(options.nonceTtlMs, options.replayCacheSize ?? 100_000, () => this.now());
  }

  /** A fresh nonce. */
  issueNonce(): string {
    const body = Buffer.alloc(16);
    body.writeDoubleBE(this.now(), 0);
    randomBytes(8).copy(body, 8);
    return Buffer.concat([body, this.sign(body)]).toString('base64url');
  }

  /**
   * The `WWW-Authenticate` values for a 401: MD5 first (Atlas's exact challenge), then SHA-256.
   * @param stale true when the client's nonce had expired (it may retry with the new one)
   */
  challenges(stale: boolean): string[] {
    const nonce = this.issueNonce();
    const flag = stale ? 'true' : 'false';
    return [
      `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${flag}`,
      `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=SHA-256, qop="auth", stale=${flag}`,
    ];
  }

  /**
   * Checks credentials against a user's secrets for one request.
   * @param method the HTTP method; @param requestUri the request target as sent (path and query)
   */
  verify(credentials: DigestCredentials, secrets: DigestSecrets, method: string, requestUri: string): DigestVerdict {
    if (credentials.realm !== DIGEST_REALM) return { ok: false, stale: false, reason: 'wrong realm' };
    if (credentials.qop !== 'auth' || !credentials.nc || !credentials.cnonce) return { ok: false, stale: false, reason: 'qop=auth required' };
    if (!/^[0-9a-fA-F]{8}$/.test(credentials.nc)) return { ok: false, stale: false, reason: 'bad nc' };
    if (credentials.uri !== requestUri) return { ok: false, stale: false, reason: 'uri does not match the request' };
    const issuedAt = this.nonceIssuedAt(credentials.nonce);
    if (issuedAt === undefined) return { ok: false, stale: false, reason: 'forged nonce' };
    const sha = credentials.algorithm.startsWith('SHA-256');
    const fn = sha ? 'SHA-256' : 'MD5';
    let ha1 = sha ? secrets.ha1Sha256 : secrets.ha1Md5;
    if (credentials.algorithm.endsWith('-sess')) ha1 = hash(fn, `${ha1}:${credentials.nonce}:${credentials.cnonce}`);
    const ha2 = this.ha2(fn, method, credentials.uri);
    const expected = hash(fn, `${ha1}:${credentials.nonce}:${credentials.nc}:${credentials.cnonce}:auth:${ha2}`);
    if (!safeEqualHex(expected, credentials.response)) return { ok: false, stale: false, reason: 'wrong response' };
    // A correct response to an expired nonce: the client knows the key; let it retry with a new nonce.
    if (this.now() - issuedAt > this.options.nonceTtlMs) return { ok: false, stale: true, reason: 'stale nonce' };
    if (!this.replays.accept(credentials.nonce, Number.parseInt(credentials.nc, 16), issuedAt)) return { ok: false, stale: false, reason: 'replayed request' };
    return { ok: true };
  }

  /**
   * H(method:uri): public data, the same for every request a client repeats, so kept (bounded).
   * Found by algorithm and method, then by the uri as sent: a key joined per request had to be
   * flattened and hashed on every request.
   */
  private ha2(fn: 'MD5' | 'SHA-256', method: string, uri: string): string {
    const kind = fn === 'MD5' ? method : `SHA-256 ${method}`;
    let byUri = this.requestHashes.get(kind);
    if (!byUri) this.requestHashes.set(kind, (byUri = new Map()));
    const known = byUri.get(uri);
    if (known !== undefined) return known;
    const value = hash(fn, `${method}:${uri}`);
    if (this.requestHashCount >= 10_000) {
      this.requestHashes.clear();
      this.requestHashes.set(kind, (byUri = new Map()));
      this.requestHashCount = 0;
    }
    byUri.set(uri, value);
    this.requestHashCount++;
    return value;
  }

  private nonceIssuedAt(nonce: string): number | undefined {
    const known = this.verifiedNonces.get(nonce);
    if (known !== undefined) return known;
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== 32) return undefined;
    const body = raw.subarray(0, 16);
    if (!timingSafeEqual(raw.subarray(16), this.sign(body))) return undefined;
    const issuedAt = body.readDoubleBE(0);
    if (this.verifiedNonces.size >= 50_000) this.verifiedNonces.clear();
    this.verifiedNonces.set(nonce, issuedAt);
    return issuedAt;
  }

  private sign(body: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, 16);
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }
}

/** One-shot `crypto.hash` (Node ≥ 20.12): no Hash object per call, it runs on every request. */
function hash(fn: 'MD5' | 'SHA-256', text: string): string {
  return oneShotHash(fn === 'MD5' ? 'md5' : 'sha256', text, 'hex');
}

/**
 * Compares the expected response with the client's in time that depends only on their lengths (the
 * expected one's is public: 32 or 64 hex digits), so a timing does not tell how many leading
 * characters of a guess were right. On strings, without the two buffers `timingSafeEqual` needs.
 */
function safeEqualHex(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}

/**
 * Which request counters (`nc`) each nonce has used, as a sliding window of the last 1024 counters
 * above the highest seen (IPsec-style): a counter seen before, or older than the window, is a
 * replay. Nonces are forgotten once they expire; the number kept is bounded.
 */
class ReplayWindow {
  private static readonly SIZE = 1024;
  private readonly nonces = new Map<string, { highest: number; seen: Uint32Array; issuedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxNonces: number,
    private readonly now: () => number,
  ) {}

  /** Records (nonce, nc); false when it was used before or is too old to tell. */
  accept(nonce: string, nc: number, issuedAt: number): boolean {
    let entry = this.nonces.get(nonce);
    if (!entry) {
      if (this.nonces.size >= this.maxNonces) this.prune();
      entry = { highest: 0, seen: new Uint32Array(ReplayWindow.SIZE / 32), issuedAt };
      this.nonces.set(nonce, entry);
    }
    if (nc > entry.highest) {
      // Slide: clear the bits of the counters between the old and the new highest.
      for (let n = Math.max(entry.highest + 1, nc - ReplayWindow.SIZE + 1); n <= nc; n++) this.clear(entry.seen, n);
      entry.highest = nc;
    } else if (entry.highest - nc >= ReplayWindow.SIZE) {
      return false;
    } else if (this.isSet(entry.seen, nc)) {
      return false;
    }
    this.set(entry.seen, nc);
    return true;
  }

  private prune(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [nonce, entry] of this.nonces) if (entry.issuedAt < cutoff) this.nonces.delete(nonce);
    // Still full (a flood of fresh nonces): drop the oldest half (a Map keeps insertion order).
    let drop = this.nonces.size >= this.maxNonces ? Math.floor(this.maxNonces / 2) : 0;
    for (const nonce of this.nonces.keys()) {
      if (drop-- <= 0) break;
      this.nonces.delete(nonce);
    }
  }

  private isSet(bits: Uint32Array, n: number): boolean {
    const i = n % ReplayWindow.SIZE;
    return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  private set(bits: Uint32Array, n: number): void {
    const i = n % ReplayWindow.SIZE;
    bits[i >>> 5]! |= 1 << (i & 31);
  }
  private clear(bits: Uint32Array, n: number): void {
    const i = n % ReplayWindow.SIZE;
    bits[i >>> 5]! &= ~(1 << (i & 31));
  }
}
