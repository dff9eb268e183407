import { isIPv4, isIPv6 } from 'node:net';
import { apiError } from './errors.js';

/**
 * The project IP access list: who may connect to a project's clusters over the public path
 * (`connectionStrings.standard` / `standardSrv`). Private-endpoint traffic never consults it.
 *
 * An entry is one `cidrBlock`, one `ipAddress` (stored as its /32 or /128 block) or one
 * `awsSecurityGroup`; its key (the `{entryValue}` of the API) is the CIDR block or the group id.
 * A temporary entry carries `deleteAfterDate` (later than now, at most one week ahead, as Atlas
 * documents) and stops admitting anyone the moment it passes.
 */
export interface AccessListEntry {
  readonly projectId: string;
  /** `cidrBlock` in canonical form, or the security group id: unique per project. */
  readonly entryKey: string;
  readonly kind: 'cidrBlock' | 'ipAddress' | 'awsSecurityGroup';
  readonly comment: string | null;
  readonly deleteAfterDate: Date | null;
  readonly createdAt: Date;
}

export type AccessListInput = Omit<AccessListEntry, 'projectId' | 'createdAt'>;

const WEEK_MS = 7 * 24 * 3600 * 1000;
const SECURITY_GROUP = /^([0-9]*\/)?sg-[0-9a-f]+$/;

/** Parses the body of `POST /groups/{groupId}/accessList`: a non-empty array of entries. */
export function parseAccessListCreate(body: unknown, now: Date): AccessListInput[] {
  if (!Array.isArray(body)) throw apiError('INVALID_JSON');
  if (body.length === 0) throw apiError('MISSING_ATTRIBUTE', 'accessList');
  if (body.length > 200) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'accessList', '200', String(body.length));
  const seen = new Map<string, AccessListInput>();
  for (const item of body) {
    const entry = parseOne(item, now);
    seen.set(entry.entryKey, entry); // the last of duplicates wins, as a repeated POST would
  }
  return [...seen.values()];
}

function parseOne(item: unknown, now: Date): AccessListInput {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw apiError('INVALID_JSON');
  const known = new Set(['cidrBlock', 'ipAddress', 'awsSecurityGroup', 'comment', 'deleteAfterDate', 'groupId', 'links']);
  for (const key of Object.keys(item)) if (!known.has(key)) throw apiError('INVALID_ATTRIBUTE', key);
  const record = item as Record<string, unknown>;
  const given = (['cidrBlock', 'ipAddress', 'awsSecurityGroup'] as const).filter((k) => record[k] !== undefined);
  if (given.length === 0) throw apiError('MISSING_ATTRIBUTE', 'cidrBlock, ipAddress or awsSecurityGroup');
  if (given.length > 1) throw apiError('ACCESS_LIST_ENTRY_AMBIGUOUS', given.join(', '));
  const kind = given[0]!;
  const raw = record[kind];
  if (typeof raw !== 'string') throw apiError('INVALID_ATTRIBUTE', kind);
  let entryKey: string;
  if (kind === 'awsSecurityGroup') {
    if (!SECURITY_GROUP.test(raw)) throw apiError('INVALID_ATTRIBUTE', kind);
    entryKey = raw;
  } else if (kind === 'ipAddress') {
    if (!isIPv4(raw) && !isIPv6(raw)) throw apiError('INVALID_IP_ADDRESS_OR_CIDR_NOTATION', raw);
    entryKey = canonicalCidr(raw)!;
  } else {
    const cidr = canonicalCidr(raw);
    if (!cidr) throw apiError('INVALID_IP_ADDRESS_OR_CIDR_NOTATION', raw);
    entryKey = cidr;
  }
  let comment: string | null = null;
  if (record.comment !== undefined && record.comment !== null) {
    if (typeof record.comment !== 'string') throw apiError('INVALID_ATTRIBUTE', 'comment');
    if (record.comment.length > 80) throw apiError('ATTRIBUTE_ABOVE_MAXIMUM', 'comment', '80 characters', String(record.comment.length));
    comment = record.comment;
  }
  let deleteAfterDate: Date | null = null;
  if (record.deleteAfterDate !== undefined && record.deleteAfterDate !== null) {
    if (kind === 'awsSecurityGroup') throw apiError('INVALID_ATTRIBUTE', 'deleteAfterDate');
    const text = record.deleteAfterDate;
    const when = typeof text === 'string' && /^\d{4}-\d\d-\d\dT/.test(text) ? new Date(text) : new Date(NaN);
    if (Number.isNaN(when.getTime())) throw apiError('INVALID_ATTRIBUTE', 'deleteAfterDate');
    if (when.getTime() <= now.getTime() || when.getTime() > now.getTime() + WEEK_MS) throw apiError('ACCESS_LIST_DELETE_AFTER_DATE_OUT_OF_RANGE', when.toISOString());
    deleteAfterDate = when;
  }
  return { entryKey, kind, comment, deleteAfterDate };
}

/**
 * The `{entryValue}` path parameter (URL-decoded by the router: `10.0.0.0/16`, `10.0.0.0%2F16`,
 * `192.0.2.7`, `sg-0123`) as the entry key it names, or undefined when it names nothing valid.
 */
export function entryKeyOf(value: string): string | undefined {
  const decoded = value.replace(/%2f/gi, '/');
  if (SECURITY_GROUP.test(decoded)) return decoded;
  return canonicalCidr(decoded);
}

/** `a.b.c.d[/n]` or an IPv6 address `[/n]` as its canonical block `network/n` (host bits cleared). */
export function canonicalCidr(text: string): string | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return undefined;
  const bits = v4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return undefined;
    prefix = Number(p);
  }
  const value = toBigInt(address);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return `${fromBigInt(value & mask, v4)}/${prefix}`;
}

/** True when `address` (IPv4, IPv6 or IPv4-mapped IPv6) lies inside the canonical `cidr`. */
export function cidrContains(cidr: string, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const client = mapped ? mapped[1]! : address;
  const [network, p] = cidr.split('/') as [string, string];
  const v4 = isIPv4(network);
  if (v4 !== isIPv4(client) || (!v4 && !isIPv6(client))) return false;
  const bits = v4 ? 32 : 128;
  const prefix = Number(p);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return (toBigInt(client) & mask) === toBigInt(network);
}

/** True when an entry admits `address` at `now` (security groups match no public address). */
export function entryAdmits(entry: Pick<AccessListEntry, 'entryKey' | 'kind' | 'deleteAfterDate'>, address: string, now: Date): boolean {
  if (entry.deleteAfterDate && entry.deleteAfterDate.getTime() <= now.getTime()) return false;
  if (entry.kind === 'awsSecurityGroup') return false;
  return cidrContains(entry.entryKey, address);
}

function toBigInt(address: string): bigint {
  if (isIPv4(address)) return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  let text = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v = toBigInt(tail[1]!);
    text = `${text.slice(0, -tail[1]!.length)}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function fromBigInt(value: bigint, v4: boolean): string {
  if (v4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
