import { randomInt, randomUUID } from 'node:crypto';
import { LOWER_ALNUM, randomHex, randomString } from '../common/ids.js';

/** Identifier generators in the shapes AWS uses (random, see common/ids.ts). */

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** EC2 resource id: `<prefix>-` + 17 lower hex, e.g. `vpc-0a1b2c3d4e5f60718`. */
export function ec2Id(prefix: 'vpc' | 'subnet' | 'sg' | 'sgr' | 'vpce' | 'vpce-svc' | 'vpce-svc-perm' | 'vpce-nfn' | 'eni' | 'rtb' | 'dopt' | 'acl' | 'pcx' | 'vgw'): string {
  return `${prefix}-${randomHex(17)}`;
}

/** The 16-hex suffix of ELBv2 ARNs and DNS names. */
export function elbId(): string {
  return randomHex(16);
}

/** The 8 lower-case alphanumerics in a VPC endpoint's DNS names (`vpce-…-<8>.vpce-svc-…`). */
export function dnsSuffix(): string {
  return randomString(LOWER_ALNUM, 8);
}

/** A request id (UUID v4), as both Query protocols return. */
export function requestId(): string {
  return randomUUID();
}

/** A 12-digit AWS account id that does not start with 0. */
export function accountId(): string {
  return String(randomInt(1, 10)) + randomString('0123456789', 11);
}

/** An IAM-user style access key id: `AKIA` + 16 base32 characters. */
export function accessKeyId(): string {
  return `AKIA${randomString(ACCESS_KEY_ALPHABET, 16)}`;
}

/** A 40-character secret access key. */
export function secretAccessKey(): string {
  return randomString(SECRET_ALPHABET, 40);
}
