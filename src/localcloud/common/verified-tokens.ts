/**
 * Bearer tokens an emulator has verified, by their hash, with the principal each names and when it
 * expires. The emulators only add tokens and forget expired ones (none is ever revoked, and a
 * principal never changes), so a token found valid stays valid until it expires: a request that
 * presents it again needs no read of the store. Expiry is still checked on every use. Bounded:
 * past `limit` tokens the cache starts again empty.
 */
export class VerifiedTokens<P> {
  private readonly known = new Map<string, { readonly principal: P; readonly expiresAt: Date }>();

  constructor(private readonly limit = 10_000) {}

  /** What a token with this hash was verified to name, if this process verified it before. */
  find(hash: string): { readonly principal: P; readonly expiresAt: Date } | undefined {
    return this.known.get(hash);
  }

  remember(hash: string, principal: P, expiresAt: Date): void {
    if (this.known.size >= this.limit) this.known.clear();
    this.known.set(hash, { principal, expiresAt });
  }
}
