import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { AtlasClient } from '../../client/atlas-client.js';
import { DigestAuthority, digestHa1, parseDigestAuthorization } from './digest-auth.js';

const run = promisify(execFile);
const USER = 'abcdefgh';
const PASSWORD = '0b1c2d3e-0000-4000-8000-123456789abc';
let clock = 1_000_000;
const authority = new DigestAuthority(Buffer.from('secret-shared-by-replicas'), { nonceTtlMs: 300_000, now: () => clock });
const secrets = digestHa1(USER, PASSWORD);
let server: Server;
let url: string;

before(async () => {
  server = createServer((req, res) => {
    const credentials = parseDigestAuthorization(req.headers.authorization);
    const verdict = credentials && credentials.username === USER ? authority.verify(credentials, secrets, req.method!, req.url!) : undefined;
    if (verdict?.ok) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, algorithm: credentials!.algorithm }));
      return;
    }
    res.setHeader('www-authenticate', authority.challenges(verdict ? !verdict.ok && verdict.stale : false));
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 401, reason: verdict && !verdict.ok ? verdict.reason : 'none' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('the challenge is Atlas\'s: realm "MMS Public API", MD5 first, qop="auth", stale=false', () => {
  const [md5, sha] = authority.challenges(false);
  assert.match(md5!, /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9_-]+", algorithm=MD5, qop="auth", stale=false$/);
  assert.match(sha!, /algorithm=SHA-256/);
});

test('curl --digest authenticates with MD5 (GET with a query string and POST)', async () => {
  const get = await run('curl', ['-s', '--digest', '-u', `${USER}:${PASSWORD}`, `${url}/api/atlas/v2/groups?pretty=true`]);
  assert.deepEqual(JSON.parse(get.stdout), { ok: true, algorithm: 'MD5' });
  const post = await run('curl', ['-s', '--digest', '-u', `${USER}:${PASSWORD}`, '-X', 'POST', '-d', '{}', `${url}/x`]);
  assert.equal(JSON.parse(post.stdout).ok, true);
});

test('curl with a wrong private key gets 401', async () => {
  const result = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--digest', '-u', `${USER}:wrong`, `${url}/x`]);
  assert.equal(result.stdout, '401');
});

test('the privlink client authenticates with MD5 and SHA-256 and reuses the nonce with increasing nc', async () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    const client = new AtlasClient({ baseUrl: url, publicKey: USER, privateKey: PASSWORD, algorithm });
    for (let i = 0; i < 3; i++) {
      const response = await client.get('/api/atlas/v2/x');
      assert.equal(response.status, 200);
      assert.equal((response.json as { algorithm: string }).algorithm, algorithm);
    }
    client.close();
  }
});

function answer(nonce: string, options: { uri?: string; nc?: string; cnonce?: string; method?: string; password?: string } = {}) {
  const uri = options.uri ?? '/r';
  const nc = options.nc ?? '00000001';
  const cnonce = options.cnonce ?? 'c0ffee';
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const ha1 = md5(`${USER}:MMS Public API:${options.password ?? PASSWORD}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${md5(`${options.method ?? 'GET'}:${uri}`)}`);
  return parseDigestAuthorization(
    `Digest username="${USER}", realm="MMS Public API", nonce="${nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"`,
  )!;
}

test('a replayed request (same nonce, nc and cnonce) is refused; the next nc is accepted', () => {
  const nonce = authority.issueNonce();
  assert.deepEqual(authority.verify(answer(nonce), secrets, 'GET', '/r'), { ok: true });
  assert.equal(authority.verify(answer(nonce), secrets, 'GET', '/r').ok, false);
  assert.deepEqual(authority.verify(answer(nonce, { nc: '00000002' }), secrets, 'GET', '/r'), { ok: true });
});

test('requests of concurrent connections may arrive out of order; a counter used twice, or far behind, is refused', () => {
  const nonce = authority.issueNonce();
  const nc = (n: number) => n.toString(16).padStart(8, '0');
  for (const n of [3, 1, 2, 5, 4]) assert.deepEqual(authority.verify(answer(nonce, { nc: nc(n), cnonce: `c${n}` }), secrets, 'GET', '/r'), { ok: true }, `nc ${n}`);
  assert.equal(authority.verify(answer(nonce, { nc: nc(4), cnonce: 'other' }), secrets, 'GET', '/r').ok, false, 'same nc, new cnonce: still a replay');
  assert.deepEqual(authority.verify(answer(nonce, { nc: nc(5000), cnonce: 'far' }), secrets, 'GET', '/r'), { ok: true });
  assert.equal(authority.verify(answer(nonce, { nc: nc(6), cnonce: 'late' }), secrets, 'GET', '/r').ok, false, 'too far behind to tell: refused');
  assert.deepEqual(authority.verify(answer(nonce, { nc: nc(4990), cnonce: 'in-window' }), secrets, 'GET', '/r'), { ok: true });
});

test('a forged nonce fails; another replica with the same secret accepts ours', () => {
  const forged = Buffer.alloc(32, 7).toString('base64url');
  const verdict = authority.verify(answer(forged), secrets, 'GET', '/r');
  assert.deepEqual(verdict, { ok: false, stale: false, reason: 'forged nonce' });
  const replica = new DigestAuthority(Buffer.from('secret-shared-by-replicas'), { nonceTtlMs: 300_000, now: () => clock });
  const stranger = new DigestAuthority(Buffer.from('another-secret'), { nonceTtlMs: 300_000, now: () => clock });
  const nonce = authority.issueNonce();
  assert.deepEqual(replica.verify(answer(nonce, { cnonce: 'r1' }), secrets, 'GET', '/r'), { ok: true });
  assert.equal(stranger.verify(answer(nonce, { cnonce: 'r2' }), secrets, 'GET', '/r').ok, false);
});

test('an expired nonce with a correct response gets stale=true; a wrong password does not', () => {
  const nonce = authority.issueNonce();
  clock += 301_000;
  assert.deepEqual(authority.verify(answer(nonce, { cnonce: 's1' }), secrets, 'GET', '/r'), { ok: false, stale: true, reason: 'stale nonce' });
  assert.deepEqual(authority.verify(answer(nonce, { cnonce: 's2', password: 'nope' }), secrets, 'GET', '/r'), { ok: false, stale: false, reason: 'wrong response' });
});

test('the digest uri must be the request target; qop=auth is required', () => {
  const nonce = authority.issueNonce();
  assert.equal(authority.verify(answer(nonce, { uri: '/other' }), secrets, 'GET', '/r').ok, false);
  const noQop = { ...answer(nonce, { cnonce: 'q' }), qop: undefined };
  assert.equal(authority.verify(noQop, secrets, 'GET', '/r').ok, false);
  assert.equal(authority.verify(answer(nonce, { cnonce: 'm', method: 'POST' }), secrets, 'GET', '/r').ok, false);
});

test('the client retries transparently after stale=true', async () => {
  const client = new AtlasClient({ baseUrl: url, publicKey: USER, privateKey: PASSWORD });
  assert.equal((await client.get('/a')).status, 200);
  clock += 400_000; // the cached nonce expires
  assert.equal((await client.get('/b')).status, 200);
  client.close();
});
