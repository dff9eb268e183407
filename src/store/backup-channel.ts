import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * The backup channel: how `privlink admin backup` gets a consistent copy of an embedded store that
 * a running server holds (PGlite is single-process, so no other process may open it).
 *
 * Contract: while `privlink serve` runs on a PGlite data directory it listens on 127.0.0.1 (a free
 * port) and writes `<data-dir>/backup-channel.json` (mode 0600, in the 0700 data directory) with
 * its pid, the port and a random 32-byte token. `POST /backup` with `Authorization: Bearer <token>`
 * answers 200 with the data directory's archive (`application/gzip`); anything else answers 401 or
 * 404 with no body. Only the user who owns the data directory can read the token, so only it can
 * take a backup, exactly as only it could copy the directory. The file is removed when the server
 * stops; a file left by a process that died is ignored (its pid no longer runs).
 */
export const BACKUP_CHANNEL_FILE = 'backup-channel.json';

interface ChannelFile {
  readonly pid: number;
  readonly port: number;
  readonly token: string;
}

/**
 * Serves the backup channel for `dumpDataDir` (the running store's) and writes the channel file.
 *
 * @returns a function that stops serving and removes the file
 */
export async function openBackupChannel(dataDir: string, dumpDataDir: () => Promise<Blob>, onBackup: (bytes: number) => void): Promise<() => Promise<void>> {
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const server: Server = createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    if (req.method !== 'POST' || req.url !== '/backup') {
      res.writeHead(404).end();
      return;
    }
    void dumpDataDir()
      .then(async (archive) => {
        const bytes = Buffer.from(await archive.arrayBuffer());
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bytes.length }).end(bytes);
        onBackup(bytes.length);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error).message ?? error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const file = join(dataDir, BACKUP_CHANNEL_FILE);
  const channel: ChannelFile = { pid: process.pid, port: (server.address() as AddressInfo).port, token };
  writeFileSync(`${file}.partial`, JSON.stringify(channel), { mode: 0o600 });
  renameSync(`${file}.partial`, file);
  return async () => {
    rmSync(file, { force: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/**
 * Asks the server that holds `dataDir` for a backup through its channel.
 *
 * @returns the archive, or null when no live server announced a channel there
 * @throws Error when the server refused or failed
 */
export async function backupThroughChannel(dataDir: string): Promise<Buffer | null> {
  let channel: ChannelFile;
  try {
    channel = JSON.parse(readFileSync(join(dataDir, BACKUP_CHANNEL_FILE), 'utf8')) as ChannelFile;
  } catch {
    return null;
  }
  if (!isAlive(channel.pid)) return null;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: channel.port, method: 'POST', path: '/backup', headers: { authorization: `Bearer ${channel.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`the running server refused the backup (HTTP ${res.statusCode}): ${body.toString('utf8')}`));
      });
      res.on('error', reject);
    });
    req.on('error', (error) => reject(new Error(`could not reach the running server's backup channel: ${error.message}`)));
    req.end();
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
