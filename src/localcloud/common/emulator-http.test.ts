import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { answering } from '../../observability/request-context.js';
import { EmulatorHttp, keepClientsAlive } from './emulator-http.js';

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

test('a client that closes its sending side once its request is sent still gets the answer, then the connection closes', async () => {
  // The answer comes after the client's FIN has arrived (a store read takes a moment too).
  const http = new EmulatorHttp('Test', 1024, async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { status: 200, headers: {}, body: 'answered', holdMs: 0 };
  });
  const server = createServer(http.handle);
  keepClientsAlive(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}'));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nanswered$/, text || '(nothing before the server closed the connection)');
  } finally {
    http.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
