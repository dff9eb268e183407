import { canonicalCidr, cidrContains } from './access-list.js';
import { apiError } from './errors.js';

/**
 * An entry of an app's IP access list (`…/apps/{appId}/security/access_list`). `address` is kept as
 * the user gave it (`192.0.2.7`, `10.0.0.0/16`); `cidr` is its canonical block, what requests are
 * matched against.
 */
export interface AppAccessEntry {
  readonly id: string;
  readonly projectId: string;
  readonly appId: string;
  readonly address: string;
  readonly comment: string | null;
  readonly createdAt: Date;
}

/** The entry App Services gives every new app: "allows access from any client IP". */
export const ALLOW_ALL_ADDRESS = '0.0.0.0/0';

export interface AppAccessInput {
  readonly address: string;
  readonly comment: string | null;
}

/**
 * `POST` / `PATCH …/security/access_list[/{ipId}]` `{address, comment}`: `address` is an IPv4 or
 * IPv6 address or CIDR block (required); `use_current: true` without an address takes the caller's
 * own address (`currentIp`), as the App Services CLI's `--use-current` asks.
 */
export function parseAccessEntry(raw: unknown, currentIp: string | undefined): AppAccessInput {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw apiError('APP_INVALID_FIELD', 'request body', 'expected a JSON object');
  const body = raw as Record<string, unknown>;
  const comment = body.comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') throw apiError('APP_INVALID_FIELD', 'comment', 'expected a string');
  if (body.use_current !== undefined && typeof body.use_current !== 'boolean') throw apiError('APP_INVALID_FIELD', 'use_current', 'expected a boolean');
  let address = body.address;
  if ((address === undefined || address === '') && body.use_current === true && currentIp) address = unmapped(currentIp);
  if (address === undefined || address === null || address === '') throw apiError('APP_INVALID_FIELD', 'address', 'address is required');
  if (typeof address !== 'string') throw apiError('APP_INVALID_FIELD', 'address', 'expected a string');
  const trimmed = address.trim();
  if (!canonicalCidr(trimmed)) throw apiError('APP_ALLOWED_IP_INVALID', JSON.stringify(address));
  return { address: trimmed, comment: typeof comment === 'string' && comment !== '' ? comment : null };
}

/** The canonical block an address or CIDR names (`192.0.2.7` → `192.0.2.7/32`). */
export function accessBlockOf(address: string): string | undefined {
  return canonicalCidr(address);
}

/**
 * Whether the app's IP access list admits `client` (pure). `0.0.0.0/0` admits every client, IPv6
 * ones too ("allows access from any client IP"); any other entry admits the addresses of its block.
 * An empty list admits nobody: App Services, "If you delete this entry, no client can access your
 * App from any IP address."
 */
export function accessListAdmits(entries: readonly Pick<AppAccessEntry, 'address'>[], client: string | undefined): boolean {
  return entries.some((entry) => {
    const block = canonicalCidr(entry.address);
    if (block === ALLOW_ALL_ADDRESS) return true;
    return block !== undefined && client !== undefined && cidrContains(block, client);
  });
}

/** Whether `client` lies inside the entry's block (for `includes_current`). */
export function entryIncludes(entry: Pick<AppAccessEntry, 'address'>, client: string | undefined): boolean {
  return accessListAdmits([entry], client);
}

/** `::ffff:192.0.2.7` → `192.0.2.7`; other addresses unchanged. */
export function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}
