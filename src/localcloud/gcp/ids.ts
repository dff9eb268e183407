import { randomBytes } from 'node:crypto';
import { randomHex } from '../common/ids.js';

/**
 * Compute's identifier formats. Resource ids and PSC connection ids are unsigned 64-bit numbers
 * shown as decimal strings; operation names are `operation-<ms>-<hex>-<hex>-<hex>`; fingerprints
 * are 8 random bytes in base64.
 */

/** A random decimal uint64 of 16–19 digits (Compute's resource ids look like this). */
export function numericId(): string {
  const value = randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
  return (value < 1_000_000_000_000_000n ? value + 1_000_000_000_000_000n : value).toString();
}

/** A PSC connection id: a decimal uint64 (GCP carries it in the PROXY v2 TLV 0xE0 as 8 bytes). */
export function pscConnectionId(): string {
  return numericId();
}

/** `operation-1700000000000-5f1a2b3c4d5e6-7a8b9c0d-1e2f3a4b`, as Compute names operations. */
export function operationName(now: Date): string {
  return `operation-${now.getTime()}-${randomHex(13)}-${randomHex(8)}-${randomHex(8)}`;
}

/** A fresh fingerprint (8 random bytes, base64). */
export function fingerprint(): string {
  return randomBytes(8).toString('base64');
}

/** A 12-digit project number. */
export function projectNumber(): string {
  const value = randomBytes(6).readUIntBE(0, 6) % 900_000_000_000;
  return String(100_000_000_000 + value);
}
