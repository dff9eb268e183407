import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { promisify } from 'node:util';

// The fixture runs from the repository (it imports the built adapter and the real SDK).
const FIXTURE = new URL('../../../../test/fixtures/aws-call-out-of-files.mjs', import.meta.url).pathname;

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an AWS call that gets no HTTP answer is transient, also when this process is out of file descriptors', async () => {
  const port = await closedPort();
  // A real SDK call in a process whose open-file limit is spent: the request fails at its socket.
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, FIXTURE, String(port)]);
  const seen = JSON.parse(stdout) as Record<'refused' | 'outOfFiles', { kind: string; code: string; retryable: boolean; message: string }> & { held: number };
  assert.ok(seen.held > 0, 'the fixture held descriptors until none was left');
  assert.equal(seen.refused.kind, 'transient', JSON.stringify(seen.refused));
  assert.equal(seen.outOfFiles.code, 'EMFILE', JSON.stringify(seen.outOfFiles));
  // Not `invalid`: that would fail the endpoint service for a trouble of this host's, not of the request.
  assert.equal(seen.outOfFiles.kind, 'transient', JSON.stringify(seen.outOfFiles));
  assert.equal(seen.outOfFiles.retryable, true);
});
