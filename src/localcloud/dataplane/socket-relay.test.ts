import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { relayBurstsBegun, SocketRelay, type RelayReads } from './socket-relay.js';
import { Cleanup, dial, listen, listenEcho, readBytes, readToEnd } from './dataplane.test-support.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A bare two-way relay in front of `targetPort`, wired as the forwarder wires it: the upstream
 * made with the client relay's `onread`, the accepted socket adopted. `beforeAdopt` runs first.
 */
async function relayTo(targetPort: number, cleanup: Cleanup, beforeAdopt: () => Promise<void> = async () => {}) {
  const reads: RelayReads[] = [];
  const relays: SocketRelay[] = [];
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    client.on('error', () => client.destroy());
    void beforeAdopt().then(() => {
      const toClient = new SocketRelay(client);
      const upstream = connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true, noDelay: true, onread: toClient.onread });
      upstream.on('error', () => client.destroy());
      toClient.attach(upstream);
      const toUpstream = new SocketRelay(upstream);
      reads.push(toUpstream.adoptAcceptedSocket(client));
      relays.push(toClient, toUpstream);
      cleanup.add(() => {
        client.destroy();
        upstream.destroy();
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, reads, relays };
}

/** An echo server whose connections read nothing until `resume()`: every buffer on the way fills. */
async function stalledEcho(cleanup: Cleanup) {
  const sockets: Socket[] = [];
  const target = await listen((socket) => {
    socket.pipe(socket);
    socket.pause(); // after pipe(), which would resume it
    sockets.push(socket);
  }, cleanup);
  return { port: target.port, resume: () => sockets.forEach((socket) => socket.resume()) };
}

/** Each connection got back exactly its own payload. */
function assertEchoed(echoed: readonly Buffer[], payloads: readonly Buffer[]): void {
  echoed.forEach((bytes, i) => {
    assert.equal(bytes.length, payloads[i]!.length, `connection ${i}: length`);
    assert.equal(sha256(bytes), sha256(payloads[i]!), `connection ${i}: content`);
  });
}

test('an accepted socket is read into the relay’s own buffers on this Node', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const target = await listen((socket) => socket.end('reply'), cleanup);
  const relay = await relayTo(target.port, cleanup);
  const client = await dial(relay.port, cleanup);
  client.end('request');
  assert.equal((await readToEnd(client)).toString(), 'reply');
  // If this fails, this Node no longer has the per-socket read-buffer fields the relay switches:
  // forwarding still works (through 'data' events) but costs more CPU per byte.
  assert.deepEqual(relay.reads, ['own-buffers']);
});

test('concurrent uploads and downloads through stalled readers arrive intact, byte for byte', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  // Each connection uploads its own random payload; the target stalls, then echoes it back while
  // the client stalls too, so both directions go through reads, full buffers and pending writes,
  // several connections at once (the shared read buffer and the own buffers both in play).
  const target = await stalledEcho(cleanup);
  const relay = await relayTo(target.port, cleanup);
  const payloads = Array.from({ length: 6 }, () => randomBytes(8 * 1024 * 1024 + Math.floor(Math.random() * 65_536)));
  const clients = await Promise.all(payloads.map(() => dial(relay.port, cleanup, { allowHalfOpen: true })));
  clients.forEach((client, i) => {
    client.pause();
    client.end(payloads[i]!);
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  target.resume();
  const echoed = await Promise.all(
    clients.map(async (client, i) => {
      await new Promise((resolve) => setTimeout(resolve, 50 * i));
      return readToEnd(client, 30_000);
    }),
  );
  assertEchoed(echoed, payloads);
  assert.deepEqual(
    relay.reads,
    payloads.map(() => 'own-buffers'),
  );
});

test('bytes a client sent before the relay took its socket go first, then the rest, then its FIN', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let received: Promise<Buffer> | undefined;
  const target = await listen((socket) => {
    received = readToEnd(socket, 10_000);
    socket.on('end', () => socket.end());
  }, cleanup);
  let adopt!: () => void;
  const adopted = new Promise<void>((resolve) => (adopt = resolve));
  const relay = await relayTo(target.port, cleanup, () => adopted);
  const client = await dial(relay.port, cleanup, { allowHalfOpen: true });
  const early = randomBytes(200 * 1024); // more than a socket's read-ahead: some waits in the kernel
  const late = randomBytes(3 * 1024 * 1024);
  client.write(early);
  await new Promise((resolve) => setTimeout(resolve, 200));
  adopt();
  await new Promise((resolve) => setTimeout(resolve, 100));
  client.end(late);
  client.resume();
  await once(client, 'end');
  assert.ok(received);
  const all = await received;
  assert.equal(all.length, early.length + late.length);
  assert.equal(sha256(all), sha256(Buffer.concat([early, late])));
  assert.deepEqual(relay.reads, ['own-buffers']);
});

test('many connections trickling small writes into stalled readers arrive intact (the shared read buffer is never lent)', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  // Small writes make short reads, which all land in the one buffer the quiet sockets share; the
  // stalled target keeps their writes queued. Bytes queued from that buffer instead of a copy would
  // be overwritten by the next connection's read.
  const target = await stalledEcho(cleanup);
  const relay = await relayTo(target.port, cleanup);
  const payloads = Array.from({ length: 8 }, () => randomBytes(6 * 1024 * 1024));
  const clients = await Promise.all(payloads.map(() => dial(relay.port, cleanup, { allowHalfOpen: true })));
  const trickled = clients.map(async (client, i) => {
    const payload = payloads[i]!;
    for (let offset = 0; offset < payload.length; ) {
      const size = 512 + Math.floor(Math.random() * 3584);
      client.write(payload.subarray(offset, offset + size));
      offset += size;
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.end();
  });
  const echoed = clients.map((client) => readToEnd(client, 30_000));
  await Promise.all(trickled);
  await new Promise((resolve) => setTimeout(resolve, 200));
  target.resume();
  assertEchoed(await Promise.all(echoed), payloads);
});

test('after a burst both ways, a quiet connection holds no read buffer of its own', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const target = await listenEcho(cleanup);
  const relay = await relayTo(target.port, cleanup);
  const client = await dial(relay.port, cleanup);
  const payload = randomBytes(16 * 1024 * 1024);
  // Counted, not sampled: a socket holds its own buffer only between two of its reads, which a
  // look from the client's side can miss on a loaded machine.
  const burstsBefore = relayBurstsBegun();
  const echoed = readBytes(client, payload.length, 20_000);
  client.write(payload);
  assert.equal(sha256(await echoed), sha256(payload));
  assert.ok(relayBurstsBegun() > burstsBefore, 'a 16 MiB transfer is read into a buffer of the relay’s own');
  client.write('one small request after the burst');
  await readBytes(client, 33);
  assert.deepEqual(
    relay.relays.map((r) => r.holdsOwnBuffer),
    [false, false],
  );
});
