import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { answering } from '../../observability/request-context.js';
import { EmulatorHttp } from './emulator-http.js';

test('a cloud call is answered as work its caller waits for (it goes before background work on the embedded store)', async () => {
  const seen: Array<string | undefined> = [];
  const http = new EmulatorHttp('Test', 1024, async () => {
    seen.push(answering());
    await new Promise((resolve) => setImmediate(resolve));
    seen.push(answering());
    return { status: 200, headers: {}, body: 'ok', holdMs: 0 };
  });
  const server = createServer(http.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    assert.equal(await res.text(), 'ok');
    assert.deepEqual(seen, ['write', 'write']);
    assert.equal(answering(), undefined, "the caller's own context is left as it was");
  } finally {
    http.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
