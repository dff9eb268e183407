import { createHash, randomBytes } from 'node:crypto';

/**
 * The `Authorization` header that answers an Atlas Digest challenge (`WWW-Authenticate`) for one
 * request, MD5 with `qop=auth`, as Atlas clients send it: for tests that write requests by hand
 * (raw sockets, event streams, replays) instead of through the API client. `nc` is the request
 * counter (default 1); `cnonce` defaults to a random one.
 */
export function digestAnswer(
  key: { readonly publicKey: string; readonly privateKey: string },
  challenge: string,
  request: { readonly method: string; readonly path: string; readonly nc?: number; readonly cnonce?: string },
): string {
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = field('realm');
  const nonce = field('nonce');
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const nc = (request.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = request.cnonce ?? randomBytes(8).toString('hex');
  const response = md5(`${md5(`${key.publicKey}:${realm}:${key.privateKey}`)}:${nonce}:${nc}:${cnonce}:auth:${md5(`${request.method}:${request.path}`)}`);
  return `Digest username="${key.publicKey}", realm="${realm}", nonce="${nonce}", uri="${request.path}", algorithm=MD5, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"`;
}
