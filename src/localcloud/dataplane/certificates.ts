// A local certificate authority for the private names: drivers verify the name they dialled
// (`pl-0-us-east-1.<id>.<domain>`), not the IP, so every node behind a private endpoint needs a
// certificate with that name (or `*.<id>.<domain>`) signed by a CA the user trusts. The CA is
// ECDSA P-256, kept in a directory: `ca.pem` (give it to users as `tlsCAFile`) and `ca-key.pem`,
// both mode 0600 like everything in the data directory (copy `ca.pem` out to share it). Server certificates are issued on demand and cached in memory.
import 'reflect-metadata'; // before @peculiar/x509: its tsyringe needs the Reflect metadata API
import { webcrypto } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';

/** A certificate and its key, PEM-encoded, ready for `tls.createServer({ cert, key })`. */
export interface IssuedCertificate {
  /** The leaf certificate (signed directly by the CA; no intermediates, and the root is not sent). */
  certPem: string;
  keyPem: string;
  /** DNS names and IP addresses in the subjectAltName. */
  names: string[];
  notAfter: Date;
}

export interface LocalCaOptions {
  /** Subject CN of a new CA. Default 'privlink local CA'. */
  commonName?: string;
  /** Lifetime of a new CA. Default 3650 days. */
  caValidityDays?: number;
  /** Lifetime of issued server certificates. Default 365 days. */
  serverValidityDays?: number;
}

export class CertificateAuthorityError extends Error {
  override readonly name = 'CertificateAuthorityError';
}

/**
 * The CA. Create or load with `LocalCertificateAuthority.loadOrCreate(dir)`; safe to call from
 * several processes at once on the same directory (one of them creates, the others load it).
 */
export class LocalCertificateAuthority {
  private readonly cache = new Map<string, Promise<IssuedCertificate>>();
  private readonly contexts = new Map<string, Promise<SecureContext>>();

  private constructor(
    /** The CA certificate, PEM (what users put in `tlsCAFile`). */
    readonly caCertPem: string,
    private readonly caCert: x509.X509Certificate,
    private readonly caKey: CryptoKey,
    /** Path of `ca.pem`, or undefined for an in-memory CA. */
    readonly caCertPath: string | undefined,
    private readonly serverValidityDays: number,
  ) {}

  /**
   * Loads the CA from `dir`, or creates it there when neither file exists. Throws
   * CertificateAuthorityError when only one of the two files exists, when the key file is
   * readable by group/others, or when the files do not belong together.
   */
  static async loadOrCreate(dir: string, options: LocalCaOptions = {}): Promise<LocalCertificateAuthority> {
    const certPath = join(dir, CA_CERT_FILE);
    const keyPath = join(dir, CA_KEY_FILE);
    await mkdir(dir, { recursive: true });
    for (let attempt = 0; attempt < 25; attempt++) {
      const [certPem, keyPem] = await Promise.all([readOptional(certPath), readOptional(keyPath)]);
      if (certPem !== undefined && keyPem !== undefined) {
        const keyMode = (await stat(keyPath)).mode & 0o777;
        if (keyMode & 0o077) {
          throw new CertificateAuthorityError(`${keyPath} is readable by others (mode ${keyMode.toString(8)}); run: chmod 600 ${keyPath}`);
        }
        return LocalCertificateAuthority.fromPem(certPem, keyPem, certPath, options);
      }
      if (certPem === undefined && keyPem === undefined) {
        const created = await createCa(options);
        if (await publish(dir, created.certPem, created.keyPem)) {
          return LocalCertificateAuthority.fromPem(created.certPem, created.keyPem, certPath, options);
        }
        continue; // another process published first: load theirs
      }
      // One file without the other: either another process is between its two links, or the
      // directory is damaged. Wait a little, then give up with a clear message.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new CertificateAuthorityError(`${dir} holds only one of ${CA_CERT_FILE} and ${CA_KEY_FILE}; restore the other or remove both`);
  }

  /** A CA that lives only in memory (tests). */
  static async inMemory(options: LocalCaOptions = {}): Promise<LocalCertificateAuthority> {
    const created = await createCa(options);
    return LocalCertificateAuthority.fromPem(created.certPem, created.keyPem, undefined, options);
  }

  private static async fromPem(certPem: string, keyPem: string, certPath: string | undefined, options: LocalCaOptions): Promise<LocalCertificateAuthority> {
    const cert = new x509.X509Certificate(certPem);
    const key = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), ALGORITHM, false, ['sign']);
    const publicKey = await cert.publicKey.export(ALGORITHM, ['verify']);
    const probe = new Uint8Array([1, 2, 3]);
    const signature = await webcrypto.subtle.sign(SIGNING, key, probe);
    if (!(await webcrypto.subtle.verify(SIGNING, publicKey, signature, probe))) {
      throw new CertificateAuthorityError('the CA key does not belong to the CA certificate');
    }
    return new LocalCertificateAuthority(certPem, cert, key, certPath, options.serverValidityDays ?? 365);
  }

  /**
   * A server certificate for `names` (DNS names, wildcards like `*.abcde.privlink.test`, or IP
   * addresses), signed by this CA. Cached per set of names (order and case do not matter) and
   * re-issued when less than a day of validity is left.
   */
  issueServerCertificate(names: string[]): Promise<IssuedCertificate> {
    const normalised = [...new Set(names.map((n) => n.toLowerCase()))].sort();
    if (normalised.length === 0) return Promise.reject(new CertificateAuthorityError('a server certificate needs at least one name'));
    const key = normalised.join(',');
    const cached = this.cache.get(key);
    if (cached) {
      return cached.then((issued) => {
        if (issued.notAfter.getTime() - Date.now() > DAY_MS) return issued;
        this.cache.delete(key);
        this.contexts.delete(key);
        return this.issueServerCertificate(names);
      });
    }
    const issuing = this.issue(normalised);
    this.cache.set(key, issuing);
    issuing.catch(() => this.cache.delete(key));
    return issuing;
  }

  /** A TLS secure context serving the certificate for `names` (cached). */
  secureContextFor(names: string[]): Promise<SecureContext> {
    const key = [...new Set(names.map((n) => n.toLowerCase()))].sort().join(',');
    let context = this.contexts.get(key);
    if (!context) {
      context = this.issueServerCertificate(names).then((issued) => createSecureContext({ cert: issued.certPem, key: issued.keyPem }));
      this.contexts.set(key, context);
      context.catch(() => this.contexts.delete(key));
    }
    return context;
  }

  /**
   * An `SNICallback` for `tls.createServer` / the simulated node: for each server name the client
   * sends, serves a certificate for the names `namesFor(servername)` returns (default: the name
   * itself and the wildcard of its parent, e.g. `*.abcde.privlink.test`). A name for which
   * `namesFor` returns [] fails the handshake.
   */
  sniCallback(namesFor: (servername: string) => string[] = defaultSniNames): (servername: string, callback: (error: Error | null, context?: SecureContext) => void) => void {
    return (servername, callback) => {
      const names = namesFor(servername.toLowerCase());
      if (names.length === 0) {
        callback(new CertificateAuthorityError(`no certificate for ${servername}`));
        return;
      }
      this.secureContextFor(names).then(
        (context) => callback(null, context),
        (error: Error) => callback(error),
      );
    };
  }

  private async issue(names: string[]): Promise<IssuedCertificate> {
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = Date.now();
    const notAfter = new Date(now + this.serverValidityDays * DAY_MS);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: `CN=${names.find((n) => !n.startsWith('*.')) ?? names[0]}`,
      issuer: this.caCert.subject,
      notBefore: new Date(now - 3_600_000),
      notAfter,
      publicKey: keys.publicKey,
      signingKey: this.caKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.caCert),
      ],
    });
    const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
    return { certPem: `${cert.toString('pem')}\n`, keyPem, names, notAfter };
  }
}

/** The servername and the wildcard of its parent domain. */
function defaultSniNames(servername: string): string[] {
  const labels = servername.split('.');
  return labels.length > 2 ? [servername, `*.${labels.slice(1).join('.')}`] : [servername];
}

async function createCa(options: LocalCaOptions): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${options.commonName ?? 'privlink local CA'}, O=privlink`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + (options.caValidityDays ?? 3650) * DAY_MS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { certPem: `${cert.toString('pem')}\n`, keyPem: `${keyPem}\n` };
}

/**
 * Publishes a new CA into `dir` without ever exposing a half-written file: both are written under
 * private temporary names, then hard-linked into place (link fails if the name exists, so the
 * first process wins). Returns false when another process's CA is already there.
 */
async function publish(dir: string, certPem: string, keyPem: string): Promise<boolean> {
  const suffix = `.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`;
  const keyTemp = join(dir, CA_KEY_FILE + suffix);
  const certTemp = join(dir, CA_CERT_FILE + suffix);
  try {
    // The key is created 0600 from the first byte: never world-readable, not even briefly.
    await writeFile(keyTemp, keyPem, { mode: 0o600, flag: 'wx' });
    await chmod(keyTemp, 0o600);
    await writeFile(certTemp, certPem, { mode: 0o600, flag: 'wx' });
    try {
      await link(keyTemp, join(dir, CA_KEY_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    await link(certTemp, join(dir, CA_CERT_FILE));
  } finally {
    await Promise.all([unlink(keyTemp).catch(() => undefined), unlink(certTemp).catch(() => undefined)]);
  }
  return true;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function randomSerial(): string {
  const bytes = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  bytes.writeUInt8(bytes.readUInt8(0) & 0x7f, 0); // positive INTEGER
  return bytes.toString('hex');
}
