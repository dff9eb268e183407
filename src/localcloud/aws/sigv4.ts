import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4 (AWS4-HMAC-SHA256) verification for header-signed requests, as the
 * AWS SDKs and CLI send them. Pure functions: the caller looks up the secret for the access key.
 * Query-string (presigned) signatures are not accepted.
 */

/** The request as received, enough to rebuild the canonical request. */
export interface SignedRequest {
  readonly method: string;
  /** The raw path without query string, as on the request line (`/`). */
  readonly path: string;
  /** The raw query string without `?` ('' when none). */
  readonly query: string;
  /** Header names (any case) to values; repeated headers as arrays. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export interface SigV4Authorization {
  readonly accessKeyId: string;
  /** Credential scope date, `YYYYMMDD`. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Why a request failed verification. */
export type SigV4Failure =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'expired'; readonly requestTime: string; readonly serverTime: Date }
  | { readonly kind: 'mismatch' };

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS accepts requests signed up to 15 minutes before or after its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Lower-case hex SHA-256. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function header(request: SignedRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== name) continue;
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.join(',') : (value as string);
  }
  return undefined;
}

/**
 * Parses the Authorization header. Returns undefined when it is absent or uses another scheme
 * (the caller then treats the request as unsigned); a SigV4Failure when it is SigV4 but malformed.
 */
export function parseAuthorization(value: string | undefined): SigV4Authorization | SigV4Failure | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    return { kind: 'malformed', detail: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters." };
  }
  const [accessKeyId, date, region, service, terminator, ...extra] = credential.split('/');
  if (
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator !== 'aws4_request' ||
    extra.length > 0 ||
    !/^\d{8}$/.test(date)
  ) {
    return { kind: 'malformed', detail: `Credential should be scoped to a valid region, service and date: '${credential}'.` };
  }
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: signedHeaders.split(';').map((name) => name.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/** RFC 3986 encoding as SigV4 requires: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper hex). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Canonical URI for non-S3 services: dot segments removed, each segment encoded (again). */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of (rawPath || '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const path = `/${segments.map(uriEncode).join('/')}`;
  return path.length > 1 && rawPath.endsWith('/') ? `${path}/` : path;
}

/** Canonical query string: pairs decoded, re-encoded, sorted by key then value. */
export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [uriEncode(safeDecode(key)), uriEncode(safeDecode(value))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** The canonical request (method, path, query, headers, signed header list, payload hash). */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const headerLines = signedHeaders.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`);
  return [request.method.toUpperCase(), canonicalPath(request.path), canonicalQuery(request.query), headerLines.join(''), signedHeaders.join(';'), payloadHash].join('\n');
}

/** The signature over `canonical` for this key, time and scope. */
export function computeSignature(secretAccessKey: string, amzDate: string, auth: Pick<SigV4Authorization, 'date' | 'region' | 'service'>, canonical: string): string {
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, auth.date);
  key = hmac(key, auth.region);
  key = hmac(key, auth.service);
  key = hmac(key, 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

/** `YYYYMMDDTHHMMSSZ` to a Date, or undefined when malformed. */
function parseAmzDate(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number);
  // The pattern's six groups are mandatory, so a match has all of them.
  return new Date(Date.UTC(y!, mo! - 1, d, h, mi, s));
}

/** A Date as `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Verifies `request` against `auth` with the account's secret. `serverTime` is the emulator's
 * wall clock (for the ±15 min skew check). Returns undefined when the signature is valid.
 * The payload hash is `x-amz-content-sha256` when sent (and it must match the body), otherwise
 * the SHA-256 of the body: the SDKs and CLI do not send that header for EC2/ELBv2.
 */
export function verifySignature(request: SignedRequest, auth: SigV4Authorization, secretAccessKey: string, serverTime: Date): SigV4Failure | undefined {
  const amzDate = header(request, 'x-amz-date');
  const dateHeader = header(request, 'date');
  const requestTime = amzDate !== undefined ? parseAmzDate(amzDate) : dateHeader !== undefined ? new Date(dateHeader) : undefined;
  if (!requestTime || Number.isNaN(requestTime.getTime())) {
    return { kind: 'malformed', detail: 'AWS authentication requires a valid Date or x-amz-date header' };
  }
  if (amzDate !== undefined && amzDate.slice(0, 8) !== auth.date) {
    return {
      kind: 'malformed',
      detail: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    };
  }
  if (!auth.signedHeaders.includes('host')) return { kind: 'malformed', detail: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  if (Math.abs(serverTime.getTime() - requestTime.getTime()) > MAX_CLOCK_SKEW_MS) {
    return { kind: 'expired', requestTime: formatAmzDate(requestTime), serverTime };
  }
  const bodyHash = sha256Hex(request.body);
  const declared = header(request, 'x-amz-content-sha256');
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== bodyHash) return { kind: 'mismatch' };
  const canonical = canonicalRequest(request, auth.signedHeaders, declared ?? bodyHash);
  const expected = computeSignature(secretAccessKey, amzDate ?? formatAmzDate(requestTime), auth, canonical);
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : { kind: 'mismatch' };
}
