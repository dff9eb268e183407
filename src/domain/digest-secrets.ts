import { createHash } from 'node:crypto';

/** The realm Atlas's Digest challenge names; part of every stored key secret. */
export const DIGEST_REALM = 'MMS Public API';

/** The stored secrets of one API key: HA1 = H(publicKey:realm:privateKey) per hash function. */
export interface DigestSecrets {
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

/**
 * The secrets to store for a new key. The private key itself is never stored: HTTP Digest needs
 * only HA1, and a password hash (bcrypt) would make Digest impossible.
 */
export function digestHa1(publicKey: string, privateKey: string): DigestSecrets {
  const text = `${publicKey}:${DIGEST_REALM}:${privateKey}`;
  return { ha1Md5: createHash('md5').update(text).digest('hex'), ha1Sha256: createHash('sha256').update(text).digest('hex') };
}
