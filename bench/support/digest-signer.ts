// HTTP Digest `Authorization` headers for load generation: one nonce, a fresh `nc` for every
// request (the server refuses a repeated (nonce, nc, cnonce) triple), MD5 with qop=auth, as the
// Atlas CLI answers privlink's (and Atlas's) challenge. HA1 is computed once; each header costs
// two MD5s. Not the product client (src/client/atlas-client.ts): that one is request/response.
import { createHash, randomBytes } from 'node:crypto';

/** What a `WWW-Authenticate: Digest …` challenge offers (only what a MD5/qop=auth answer needs). */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly stale: boolean;
}

/**
 * The MD5 challenge among `WWW-Authenticate` values (privlink sends MD5 first, SHA-256 second,
 * as separate headers or joined by commas); undefined when there is none.
 */
export function parseMd5Challenge(header: string | readonly string[] | undefined): DigestChallenge | undefined {
  const values = header === undefined ? [] : typeof header === 'string' ? header.split(/,\s*(?=Digest\s)/i) : header;
  for (const value of values) {
    if (!/^Digest\s/i.test(value) || !/algorithm="?MD5"?(?:,|\s|$)/i.test(value)) continue;
    const realm = /realm="([^"]*)"/i.exec(value)?.[1];
    const nonce = /nonce="([^"]*)"/i.exec(value)?.[1];
    if (realm === undefined || nonce === undefined) continue;
    return { realm, nonce, stale: /stale=("?)true\1/i.test(value) };
  }
  return undefined;
}

export class DigestSigner {
  private readonly ha1: string;
  private nonce: string;
  private nc = 0;
  /** A per-process prefix so two generators never send the same cnonce. */
  private readonly cnoncePrefix = randomBytes(4).toString('hex');

  constructor(
    private readonly username: string,
    password: string,
    private readonly realm: string,
    nonce: string,
  ) {
    this.ha1 = md5(`${username}:${realm}:${password}`);
    this.nonce = nonce;
  }

  /** Adopts a new nonce (after a 401 with `stale=true`); `nc` starts again at 1. */
  renew(nonce: string): void {
    if (nonce === this.nonce) return;
    this.nonce = nonce;
    this.nc = 0;
  }

  /** The header for one request; every call uses the next `nc`. */
  authorization(method: string, uri: string): string {
    this.nc += 1;
    const nc = this.nc.toString(16).padStart(8, '0');
    const cnonce = `${this.cnoncePrefix}${this.nc.toString(36)}`;
    const response = md5(`${this.ha1}:${this.nonce}:${nc}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
    return (
      `Digest username="${this.username}", realm="${this.realm}", nonce="${this.nonce}", uri="${uri}", ` +
      `algorithm=MD5, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"`
    );
  }
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
