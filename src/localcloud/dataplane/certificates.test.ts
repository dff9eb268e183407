import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect, createServer, type TlsOptions } from 'node:tls';
import { CA_CERT_FILE, CA_KEY_FILE, CertificateAuthorityError, LocalCertificateAuthority } from './certificates.js';
import { Cleanup } from './dataplane.test-support.js';

async function scratchDir(cleanup: Cleanup): Promise<string> {
  const dir = await mkdtemp(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'ca-test-'));
  cleanup.add(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A TLS server on 127.0.0.1:0 that says "hi". */
async function tlsServer(options: TlsOptions, cleanup: Cleanup): Promise<number> {
  const server = createServer(options, (socket) => socket.end('hi'));
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** Connects with `servername`, trusting `ca` (or nothing); resolves 'ok' or the verification error code. */
function handshake(port: number, servername: string, ca: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ...(ca ? { ca } : {}) }, () => {
      socket.destroy();
      resolve('ok');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(String(error.code)));
  });
}

test('a new CA is written to its directory: ca.pem for users, the key readable by the owner only', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const dir = await scratchDir(cleanup);
  const ca = await LocalCertificateAuthority.loadOrCreate(dir);
  assert.equal(ca.caCertPath, join(dir, CA_CERT_FILE));
  assert.equal(await readFile(join(dir, CA_CERT_FILE), 'utf8'), ca.caCertPem);
  assert.equal((await stat(join(dir, CA_KEY_FILE))).mode & 0o777, 0o600);
  const cert = new X509Certificate(ca.caCertPem);
  assert.equal(cert.ca, true);
  assert.match(cert.subject, /CN=privlink local CA/);
  assert.equal(cert.publicKey.asymmetricKeyType, 'ec');
  assert.ok(cert.checkIssued(cert), 'self-signed');
});

test('issued server certificates verify against the CA and match their names, wildcards one level deep', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const ca = await LocalCertificateAuthority.inMemory();
  const issued = await ca.issueServerCertificate(['*.abcde.privlink.test', 'localhost', '127.0.0.1']);
  const leaf = new X509Certificate(issued.certPem);
  assert.ok(leaf.checkIssued(new X509Certificate(ca.caCertPem)));
  assert.match(String(leaf.subjectAltName), /DNS:\*\.abcde\.privlink\.test/);
  assert.match(String(leaf.subjectAltName), /IP Address:127\.0\.0\.1/);
  assert.equal(leaf.ca, false);
  const port = await tlsServer({ cert: issued.certPem, key: issued.keyPem }, cleanup);
  assert.equal(await handshake(port, 'pl-0-us-east-1.abcde.privlink.test', ca.caCertPem), 'ok');
  assert.equal(await handshake(port, 'localhost', ca.caCertPem), 'ok');
  assert.equal(await handshake(port, 'a.b.abcde.privlink.test', ca.caCertPem), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(await handshake(port, 'pl-0-us-east-1.other.privlink.test', ca.caCertPem), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(await handshake(port, 'pl-0-us-east-1.abcde.privlink.test', undefined), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  const stranger = await LocalCertificateAuthority.inMemory();
  assert.equal(await handshake(port, 'pl-0-us-east-1.abcde.privlink.test', stranger.caCertPem), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('certificates are cached per set of names, whatever their order and case', async () => {
  const ca = await LocalCertificateAuthority.inMemory();
  const a = await ca.issueServerCertificate(['b.example.test', 'A.example.test']);
  const b = await ca.issueServerCertificate(['a.example.test', 'B.EXAMPLE.test']);
  assert.equal(a, b);
  const c = await ca.issueServerCertificate(['a.example.test']);
  assert.notEqual(c.certPem, a.certPem);
  assert.equal(await ca.secureContextFor(['a.example.test']), await ca.secureContextFor(['A.example.test']));
  await assert.rejects(ca.issueServerCertificate([]), CertificateAuthorityError);
});

test('the CA survives a restart: loading the directory again gives the same CA, and old certificates still verify', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const dir = await scratchDir(cleanup);
  // Two processes starting at once on an empty directory end up with one CA.
  const [first, concurrent] = await Promise.all([LocalCertificateAuthority.loadOrCreate(dir), LocalCertificateAuthority.loadOrCreate(dir)]);
  assert.equal(first.caCertPem, concurrent.caCertPem);
  const before = await first.issueServerCertificate(['pl-0-us-east-1.abcde.privlink.test']);
  const reloaded = await LocalCertificateAuthority.loadOrCreate(dir);
  assert.equal(reloaded.caCertPem, first.caCertPem);
  const after = await reloaded.issueServerCertificate(['pl-0-us-east-1.abcde.privlink.test']);
  assert.notEqual(after.certPem, before.certPem, 'a new process issues its own leaf');
  const port = await tlsServer({ cert: after.certPem, key: after.keyPem }, cleanup);
  assert.equal(await handshake(port, 'pl-0-us-east-1.abcde.privlink.test', await readFile(join(dir, CA_CERT_FILE), 'utf8')), 'ok');
  const oldPort = await tlsServer({ cert: before.certPem, key: before.keyPem }, cleanup);
  assert.equal(await handshake(oldPort, 'pl-0-us-east-1.abcde.privlink.test', reloaded.caCertPem), 'ok');
});

test('a CA directory with a readable key or a missing file is refused with a clear message', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const dir = await scratchDir(cleanup);
  await LocalCertificateAuthority.loadOrCreate(dir);
  await chmod(join(dir, CA_KEY_FILE), 0o644);
  await assert.rejects(LocalCertificateAuthority.loadOrCreate(dir), /readable by others.*chmod 600/);
  await chmod(join(dir, CA_KEY_FILE), 0o600);
  await unlink(join(dir, CA_CERT_FILE));
  await assert.rejects(LocalCertificateAuthority.loadOrCreate(dir), /holds only one of ca\.pem and ca-key\.pem/);
});

test('the SNI callback serves a certificate for the name the client asked for', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const ca = await LocalCertificateAuthority.inMemory();
  const sniPort = await tlsServer({ SNICallback: ca.sniCallback((name) => (name.endsWith('.privlink.test') ? [name] : [])) }, cleanup);
  assert.equal(await handshake(sniPort, 'pl-0-eu-west-1.fghij.privlink.test', ca.caCertPem), 'ok');
  assert.equal(await handshake(sniPort, 'pl-1-eu-west-1.fghij.privlink.test', ca.caCertPem), 'ok');
  assert.notEqual(await handshake(sniPort, 'evil.example.com', ca.caCertPem), 'ok', 'names outside the domain get no certificate');
  // Default names: the servername and its parent's wildcard.
  const defaultPort = await tlsServer({ SNICallback: ca.sniCallback() }, cleanup);
  const peer = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: defaultPort, servername: 'pl-0-us-east-1.abcde.privlink.test', ca: ca.caCertPem }, () => {
      resolve(String(socket.getPeerCertificate().subjectaltname));
      socket.destroy();
    });
    socket.on('error', reject);
  });
  assert.match(peer, /DNS:pl-0-us-east-1\.abcde\.privlink\.test/);
  assert.match(peer, /DNS:\*\.abcde\.privlink\.test/);
});
