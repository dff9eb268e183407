import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { awsVpceIdOf, awsVpceIdTlv, proxyHeaderForSocket, readProxyHeader } from './proxy-protocol.js';
import { TcpForwarder, type ConnectionEnd, type ForwardedConnection } from './tcp-forwarder.js';
import { TcpListenerSet, type ListenerHandlers } from './tcp-listener-set.js';
import { Cleanup, dial, listen, listenEcho, readBytes, readToEnd, withTimeout } from './dataplane.test-support.js';

const VPCE = 'vpce-0123456789abcdef0';

/** A gateway: one listener on 127.0.0.1:0 forwarding to `targetPort`, closed on cleanup. */
async function gateway(targetPort: number, cleanup: Cleanup, extra: Partial<ListenerHandlers> & { proxy?: boolean; labels?: Record<string, string> } = {}) {
  const ends: ConnectionEnd[] = [];
  const forwarder = new TcpForwarder({ onClose: (_c, end) => ends.push(end) });
  const listeners = new TcpListenerSet();
  cleanup.add(() => forwarder.closeAll());
  cleanup.add(() => listeners.closeAll());
  const listener = await listeners.ensure(
    { address: '127.0.0.1', port: 0 },
    {
      ...(extra.accept ? { accept: extra.accept } : {}),
      onConnection: (socket) =>
        forwarder.forward(socket, {
          target: { host: '127.0.0.1', port: targetPort },
          ...(extra.proxy ? { proxyHeader: proxyHeaderForSocket(socket, [awsVpceIdTlv(VPCE)]) } : {}),
          labels: extra.labels ?? { endpointId: VPCE },
        }),
    },
  );
  return { forwarder, listeners, port: listener.bound.port, ends };
}

test('bytes flow both ways through the forwarder', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const echo = await listenEcho(cleanup);
  const gw = await gateway(echo.port, cleanup);
  const client = await dial(gw.port, cleanup);
  client.write('ping through the gateway');
  assert.equal((await readBytes(client, 24)).toString(), 'ping through the gateway');
  assert.equal(gw.forwarder.size, 1);
  const [connection] = gw.forwarder.connections();
  assert.equal(connection!.labels.endpointId, VPCE);
  assert.deepEqual(connection!.target, { host: '127.0.0.1', port: echo.port });
  client.end();
  await once(client, 'close');
  await withTimeout(
    (async () => {
      while (gw.forwarder.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    2000,
    'waiting for the forwarder to forget the connection',
  );
  assert.equal(gw.ends[0]!.reason, 'completed');
  assert.equal(gw.ends[0]!.bytesFromClient, 24);
  assert.equal(gw.ends[0]!.bytesFromUpstream, 24);
});

test('a large transfer to a stalled reader is held back by backpressure, then arrives intact', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let target: Socket | undefined;
  const sink = await listen((socket) => {
    target = socket;
    socket.pause(); // the reader stalls: nothing is read until we resume
  }, cleanup);
  const gw = await gateway(sink.port, cleanup);
  const client = await dial(gw.port, cleanup);
  const payload = randomBytes(64 * 1024 * 1024);
  client.end(payload);
  // Give the pipes time to fill every buffer they are allowed to fill.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const [connection] = gw.forwarder.connections();
  const heldByForwarder = connection!.client.readableLength + connection!.upstream.writableLength;
  assert.ok(heldByForwarder < 1024 * 1024, `forwarder buffers ${heldByForwarder} bytes in JS while the reader is stalled`);
  // Without backpressure the forwarder would have read all 64 MiB by now.
  assert.ok(connection!.client.bytesRead < 16 * 1024 * 1024, `the forwarder stopped reading from the sender (read ${connection!.client.bytesRead} bytes)`);
  assert.ok(target);
  const received = readToEnd(target, 20_000);
  target.resume();
  const all = await received;
  assert.equal(all.length, payload.length);
  assert.equal(createHash('sha256').update(all).digest('hex'), createHash('sha256').update(payload).digest('hex'));
});

test('concurrent large downloads to stalled readers are held back and arrive intact', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const payloads = new Map<number, Buffer>();
  const source = await listen((socket) => {
    // The client names the payload it wants in one byte; the server sends 16 MiB of it and ends.
    socket.once('data', (which: Buffer) => socket.end(payloads.get(which[0]!) ?? Buffer.alloc(0)));
  }, cleanup);
  for (let i = 0; i < 4; i++) payloads.set(i, randomBytes(16 * 1024 * 1024));
  const gw = await gateway(source.port, cleanup);
  const clients = await Promise.all([0, 1, 2, 3].map(() => dial(gw.port, cleanup)));
  clients.forEach((client, i) => {
    client.pause();
    client.write(Buffer.from([i]));
  });
  await new Promise((resolve) => setTimeout(resolve, 400));
  for (const connection of gw.forwarder.connections()) {
    assert.ok(connection.upstream.bytesRead < 12 * 1024 * 1024, `the forwarder stopped reading from the source (read ${connection.upstream.bytesRead} bytes)`);
  }
  const received = await Promise.all(clients.map((client) => readToEnd(client, 20_000)));
  received.forEach((bytes, i) => {
    assert.equal(bytes.length, payloads.get(i)!.length);
    assert.ok(bytes.equals(payloads.get(i)!), `download ${i} intact`);
  });
});

test('a client FIN is forwarded and the reply still comes back (half-close), in both directions', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  // Target reads the whole request (until the client's FIN), then answers and closes.
  const server = await listen(
    (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => socket.end(`got ${Buffer.concat(chunks).toString()}`));
    },
    cleanup,
    { allowHalfOpen: true },
  );
  const gw = await gateway(server.port, cleanup);
  const client = await dial(gw.port, cleanup, { allowHalfOpen: true });
  client.end('request');
  assert.equal((await readToEnd(client)).toString(), 'got request');

  // The other way: the target says its piece and half-closes first; the client keeps sending.
  const received: Buffer[] = [];
  const talker = await listen(
    (socket) => {
      socket.on('data', (c: Buffer) => received.push(c));
      socket.end('bye first');
    },
    cleanup,
    { allowHalfOpen: true },
  );
  const gw2 = await gateway(talker.port, cleanup);
  const client2 = await dial(gw2.port, cleanup, { allowHalfOpen: true });
  assert.equal((await readToEnd(client2)).toString(), 'bye first');
  client2.end('still talking after your FIN');
  await once(client2, 'close');
  await withTimeout(
    (async () => {
      while (Buffer.concat(received).toString() !== 'still talking after your FIN') await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    2000,
    'waiting for the client bytes sent after the target FIN',
  );
});

test('the PROXY v2 header with the VPC endpoint id is the first thing the target reads', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const seen: Array<Promise<Awaited<ReturnType<typeof readProxyHeader>>>> = [];
  const target = await listen((socket) => seen.push(readProxyHeader(socket, { timeoutMs: 2000 })), cleanup);
  const gw = await gateway(target.port, cleanup, { proxy: true });
  const client = await dial(gw.port, cleanup);
  client.write('application bytes'); // sent at once, possibly before the upstream is connected
  while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const { header, rest } = await seen[0]!;
  assert.equal(header.command, 'PROXY');
  assert.equal(header.transport, 'TCP4');
  assert.deepEqual(header.source, { address: '127.0.0.1', port: client.localPort });
  assert.deepEqual(header.destination, { address: '127.0.0.1', port: gw.port });
  assert.equal(awsVpceIdOf(header), VPCE);
  const tail = rest.length >= 17 ? rest : Buffer.concat([rest, await readBytes(target.sockets.values().next().value as Socket, 17 - rest.length)]);
  assert.equal(tail.toString(), 'application bytes');
});

test('closeWhere drops the live connections of one endpoint within a second and spares the others', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const echo = await listenEcho(cleanup);
  const forwarder = new TcpForwarder();
  const listeners = new TcpListenerSet();
  cleanup.add(() => forwarder.closeAll());
  cleanup.add(() => listeners.closeAll());
  const open = async (endpointId: string, address: string) =>
    (
      await listeners.ensure(
        { address, port: 0 },
        { onConnection: (socket, l) => forwarder.forward(socket, { target: { host: '127.0.0.1', port: echo.port }, labels: { endpointId, listener: l.key } }) },
      )
    ).bound.port;
  const portA = await open('vpce-aaaaaaaaaaaaaaaaa', '127.0.0.1');
  const portB = await open('vpce-bbbbbbbbbbbbbbbbb', '127.0.0.2');
  const a1 = await dial(portA, cleanup);
  const a2 = await dial(portA, cleanup);
  const b1 = await dial(portB, cleanup, { host: '127.0.0.2' });
  for (const socket of [a1, a2, b1]) {
    socket.write('x');
    await readBytes(socket, 1);
  }
  assert.equal(forwarder.size, 3);
  const started = Date.now();
  const closedA = Promise.all([once(a1, 'close'), once(a2, 'close')]);
  assert.equal(
    forwarder.closeWhere((c: ForwardedConnection) => c.labels.endpointId === 'vpce-aaaaaaaaaaaaaaaaa'),
    2,
  );
  await withTimeout(closedA, 1000, 'waiting for the clients of the removed endpoint to be closed');
  assert.ok(Date.now() - started < 1000);
  await withTimeout(
    (async () => {
      while (echo.sockets.size > 1) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    1000,
    'waiting for the upstream sides to close',
  );
  b1.write('still here');
  assert.equal((await readBytes(b1, 10)).toString(), 'still here');
  assert.equal(
    forwarder.closeWhere((c) => c.labels.endpointId === 'vpce-aaaaaaaaaaaaaaaaa'),
    0,
    'idempotent',
  );
});

test('the accept hook refuses a connection before any byte is forwarded, and a changed rule applies to the next one', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let targetConnections = 0;
  const echo = await listen((socket) => {
    targetConnections++;
    socket.pipe(socket);
  }, cleanup);
  const forwarder = new TcpForwarder();
  const refused: string[] = [];
  const listeners = new TcpListenerSet({ onRefused: (peer) => refused.push(peer.address) });
  cleanup.add(() => forwarder.closeAll());
  cleanup.add(() => listeners.closeAll());
  let allowed = new Set<string>(['127.0.0.9']);
  const handlers = (): ListenerHandlers => ({
    accept: (peer) => allowed.has(peer.address),
    onConnection: (socket) => forwarder.forward(socket, { target: { host: '127.0.0.1', port: echo.port } }),
  });
  const { bound } = await listeners.ensure({ address: '127.0.0.1', port: 0 }, handlers());
  // Not `dial`: the reset may arrive before the client even sees its connect complete.
  const denied = connect({ host: '127.0.0.1', port: bound.port });
  cleanup.add(() => denied.destroy());
  denied.on('error', () => {});
  denied.write('should never arrive');
  // (not events.once: it would reject on the expected ECONNRESET 'error')
  await withTimeout(new Promise((resolve) => denied.on('close', resolve)), 1000, 'waiting for the refused connection to close');
  assert.deepEqual(refused, ['127.0.0.1']);
  assert.equal(targetConnections, 0);
  assert.equal(forwarder.size, 0);

  allowed = new Set(['127.0.0.1']);
  await listeners.ensure({ address: '127.0.0.1', port: 0 }, handlers()); // same key: handlers replaced in place
  const admitted = await dial(bound.port, cleanup);
  admitted.write('ok');
  assert.equal((await readBytes(admitted, 2)).toString(), 'ok');
  assert.equal(targetConnections, 1);
});

test('an unreachable target closes the client and is reported, without crashing', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const closedTarget = await listen(() => {}, new Cleanup());
  const deadPort = closedTarget.port;
  await new Promise<void>((resolve) => closedTarget.server.close(() => resolve()));
  const gw = await gateway(deadPort, cleanup);
  const client = await dial(gw.port, cleanup);
  client.on('error', () => {});
  await withTimeout(new Promise((resolve) => client.on('close', resolve)), 2000, 'waiting for the client to be closed');
  while (gw.ends.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(gw.ends[0]!.reason, 'connect-failed');
  assert.match(String(gw.ends[0]!.error?.message), /ECONNREFUSED/);
  assert.equal(gw.forwarder.size, 0);
});

test('the listener set opens, keeps and closes listeners idempotently and reconciles to a desired set', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const set = new TcpListenerSet();
  cleanup.add(() => set.closeAll());
  const handlers: ListenerHandlers = { onConnection: (socket) => socket.end('hi') };
  const first = await set.ensure({ address: '127.0.0.1', port: 0 }, handlers);
  const again = await set.ensure({ address: '127.0.0.1', port: 0 }, handlers);
  assert.equal(again.bound.port, first.bound.port, 'ensure twice → one listener');
  assert.equal(set.list().length, 1);

  // Named port-0 listeners on one address are distinct; a name asked for elsewhere moves there.
  const n1 = await set.ensure({ address: '127.0.0.1', port: 0, name: 'node-1' }, handlers);
  const n2 = await set.ensure({ address: '127.0.0.1', port: 0, name: 'node-2' }, handlers);
  assert.notEqual(n1.bound.port, n2.bound.port);
  assert.notEqual(n1.bound.port, first.bound.port);
  const moved = await set.ensure({ address: '127.0.0.4', port: 0, name: 'node-2' }, handlers);
  assert.equal(moved.bound.address, '127.0.0.4');
  assert.equal(set.get('node-2'), moved);
  assert.equal(await set.close('node-1'), true);
  assert.equal(await set.close('node-2'), true);

  // Concurrent ensures of the same key share one listener.
  const [c1, c2] = await Promise.all([set.ensure({ address: '127.0.0.2', port: 0 }, handlers), set.ensure({ address: '127.0.0.2', port: 0 }, handlers)]);
  assert.equal(c1.bound.port, c2.bound.port);

  const occupied = await listen(() => {}, cleanup);
  const result = await set.reconcile([
    { address: '127.0.0.1', port: 0, handlers },
    { address: '127.0.0.3', port: 0, handlers },
    { address: '127.0.0.1', port: occupied.port, handlers },
  ]);
  assert.deepEqual(
    result.kept.map((l) => l.key),
    ['127.0.0.1:0'],
  );
  assert.deepEqual(
    result.opened.map((l) => l.key),
    ['127.0.0.3:0'],
  );
  assert.deepEqual(result.closed, ['127.0.0.2:0']);
  assert.equal(result.failed.length, 1);
  assert.equal((result.failed[0]!.error as NodeJS.ErrnoException).code, 'EADDRINUSE');
  assert.deepEqual(
    set
      .list()
      .map((l) => l.key)
      .sort(),
    ['127.0.0.1:0', '127.0.0.3:0'],
  );

  const opened = result.opened[0]!;
  const client = await dial(opened.bound.port, cleanup, { host: '127.0.0.3' });
  assert.equal((await readToEnd(client)).toString(), 'hi');
  assert.equal(await set.close({ address: '127.0.0.3', port: 0 }), true);
  assert.equal(await set.close({ address: '127.0.0.3', port: 0 }), false, 'closing twice is a no-op');
  const refused = await new Promise<string>((resolve) => {
    const probe = dial(opened.bound.port, new Cleanup(), { host: '127.0.0.3' });
    probe.then(
      (s) => {
        s.destroy();
        resolve('connected');
      },
      (error: NodeJS.ErrnoException) => resolve(String(error.code)),
    );
  });
  assert.equal(refused, 'ECONNREFUSED');
});

test('a reconcile replaces kept listeners’ handlers, and one queued behind a close on the same key reopens it after', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const set = new TcpListenerSet();
  cleanup.add(() => set.closeAll());
  const says = (text: string): ListenerHandlers => ({ onConnection: (socket) => socket.end(text) });
  const kept = await set.ensure({ address: '127.0.0.6', port: 0 }, says('old'));
  const closing = await set.ensure({ address: '127.0.0.7', port: 0 }, says('old'));

  // A close of 127.0.0.7 is in flight when the reconcile asks for it again: the reconcile waits for it, then opens anew.
  const closed = set.close({ address: '127.0.0.7', port: 0 });
  const result = await set.reconcile([
    { address: '127.0.0.6', port: 0, handlers: says('new') },
    { address: '127.0.0.7', port: 0, handlers: says('new') },
  ]);
  assert.equal(await closed, true);
  assert.deepEqual(
    result.kept.map((l) => l.key),
    ['127.0.0.6:0'],
  );
  assert.deepEqual(
    result.opened.map((l) => l.key),
    ['127.0.0.7:0'],
  );
  assert.equal(result.kept[0], kept, 'the kept listener is the same one');
  const reopened = set.get('127.0.0.7:0')!;
  assert.ok(reopened !== closing, 'a new listener after the close');
  for (const [address, port] of [
    ['127.0.0.6', kept.bound.port],
    ['127.0.0.7', reopened.bound.port],
  ] as const) {
    const client = await dial(port, cleanup, { host: address });
    assert.equal((await readToEnd(client)).toString(), 'new', `${address} answers with the new handlers`);
  }
});

test('an idle forwarded connection holds no timer and no listener of its own', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const echo = await listenEcho(cleanup);
  const gw = await gateway(echo.port, cleanup);
  const clients = [await dial(gw.port, cleanup), await dial(gw.port, cleanup)];
  await withTimeout(
    (async () => {
      while (gw.forwarder.connections().filter((c) => c.upstreamConnected).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
    2000,
    'waiting for both upstreams to connect',
  );
  const [first, second] = gw.forwarder.connections() as [ForwardedConnection, ForwardedConnection];
  // The connect timeout went with the connect: nothing keeps a timer for an idle connection.
  assert.equal(first.connectTimer, undefined);
  assert.equal(second.connectTimer, undefined);
  // Thousands of idle connections share their listeners: the same functions on every connection's sockets.
  for (const event of ['error', 'close', 'end']) {
    assert.deepEqual(first.client.listeners(event), second.client.listeners(event), `client '${event}' listeners`);
    assert.deepEqual(first.upstream.listeners(event), second.upstream.listeners(event), `upstream '${event}' listeners`);
  }
  // And each still carries its own bytes.
  clients[0]!.write('one');
  clients[1]!.write('two');
  assert.equal((await readBytes(clients[0]!, 3)).toString(), 'one');
  assert.equal((await readBytes(clients[1]!, 3)).toString(), 'two');
});

test('an upstream that never answers the connect is given up after the connect timeout', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  // A listener in a stopped process with a full accept queue: the kernel drops further SYNs, so a connect hangs.
  const child = spawn(
    process.execPath,
    ['-e', "const s = require('node:net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port));"],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanup.add(() => {
    child.kill('SIGKILL');
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  process.kill(child.pid!, 'SIGSTOP');
  for (let i = 0; i < 4; i++) {
    const filler = connect({ host: '127.0.0.1', port });
    filler.on('error', () => {});
    cleanup.add(() => {
      filler.destroy();
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  const ends: ConnectionEnd[] = [];
  const forwarder = new TcpForwarder({ connectTimeoutMs: 300, onClose: (_c, end) => ends.push(end) });
  const listeners = new TcpListenerSet();
  cleanup.add(() => listeners.closeAll());
  const listener = await listeners.ensure({ address: '127.0.0.1', port: 0 }, { onConnection: (socket) => forwarder.forward(socket, { target: { host: '127.0.0.1', port } }) });
  const startedAt = Date.now();
  const client = await dial(listener.bound.port, cleanup);
  client.on('error', () => {});
  await withTimeout(new Promise((resolve) => client.on('close', resolve)), 3000, 'waiting for the client to be closed');
  while (ends.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(Date.now() - startedAt >= 290, `closed after ${Date.now() - startedAt} ms, before the timeout`);
  assert.equal(ends[0]!.reason, 'connect-failed');
  assert.match(String(ends[0]!.error?.message), /timed out after 300 ms/);
  assert.equal(forwarder.size, 0);
});
