import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenFileBudget, OpenFileBudgetSpent } from './open-file-budget.js';
import { startDnsServer } from './dns-server.js';
import { startSimulatedMongod } from './simulated-mongod.js';
import { TcpForwarder } from './tcp-forwarder.js';
import { TcpListenerSet } from './tcp-listener-set.js';
import { Cleanup, dial, listenEcho, readBytes, withTimeout } from './dataplane.test-support.js';

/** Connects to `port` and resolves once the server closed the connection (reset it at once, or closed it). */
function closedByServer(port: number, cleanup: Cleanup): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  cleanup.add(() => socket.destroy());
  socket.on('error', () => undefined); // the reset
  return withTimeout(new Promise<void>((resolve) => socket.once('close', () => resolve())), 2000, 'waiting for the server to close the connection');
}

/** Polls `check` until it holds; fails after 2 s (and stops polling). */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

test('a budget takes what fits, refuses (and reports) what would go over, and takes again once files are given back', () => {
  let reported = 0;
  const budget = new OpenFileBudget(3, () => reported++);
  assert.equal(budget.take(2), true);
  assert.equal(budget.take(2), false);
  assert.equal(budget.take(1), true);
  assert.equal(budget.held, 3);
  assert.equal(budget.take(1), false);
  assert.deepEqual([budget.refused, reported], [2, 2]);
  budget.give(2);
  assert.equal(budget.take(2), true);
  assert.equal(budget.held, 3);
});

test('the gateway under a budget: a listener holds one file, a forwarded connection two; what does not fit is refused, and the files come back', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const echo = await listenEcho(cleanup);
  const budget = new OpenFileBudget(5);
  const forwarder = new TcpForwarder({ budget });
  const listeners = new TcpListenerSet({ budget });
  cleanup.add(() => forwarder.closeAll());
  cleanup.add(() => listeners.closeAll());
  const handlers = { onConnection: (socket: Socket) => void forwarder.forward(socket, { target: { host: '127.0.0.1', port: echo.port } }) };
  const listener = await listeners.ensure({ address: '127.0.0.1', port: 0, name: 'first' }, handlers);
  assert.equal(budget.held, 1);

  // 1 + 2 + 2 = 5 files: two connections fit, the third is reset at once.
  const first = await dial(listener.bound.port, cleanup);
  const second = await dial(listener.bound.port, cleanup);
  for (const client of [first, second]) {
    client.write('ping');
    assert.equal((await readBytes(client, 4)).toString(), 'ping');
  }
  assert.equal(budget.held, 5);
  await closedByServer(listener.bound.port, cleanup);
  assert.equal(forwarder.size, 2);
  assert.equal(budget.refused, 1);

  // No room for a second listener either: refused with the budget's error, nothing bound.
  await assert.rejects(listeners.ensure({ address: '127.0.0.1', port: 0, name: 'second' }, handlers), OpenFileBudgetSpent);
  assert.equal(listeners.size, 1);

  // A connection that ends gives its two files back: the next one is served.
  first.end();
  await until(() => budget.held === 3, 'the ended connection to give its files back');
  const fourth = await dial(listener.bound.port, cleanup);
  fourth.write('pong');
  assert.equal((await readBytes(fourth, 4)).toString(), 'pong');

  // Everything closed: nothing held.
  forwarder.closeAll();
  await listeners.closeAll();
  await until(() => budget.held === 0, 'every file to be given back');
});

test('a simulated node under a budget: its listener and each connection hold one file; a connection that does not fit is reset', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const budget = new OpenFileBudget(2);
  const node = await startSimulatedMongod({ kind: 'primary', setName: 'rs-budget', budget });
  cleanup.add(() => node.stop());
  assert.equal(budget.held, 1);
  const kept = await dial(node.port, cleanup);
  await until(() => budget.held === 2, 'the first connection to be counted');
  await closedByServer(node.port, cleanup);
  assert.equal(node.connectionCount, 1);
  assert.ok(!kept.closed, 'the connection that fit is kept');

  // No room for another node's listener.
  await assert.rejects(startSimulatedMongod({ kind: 'primary', setName: 'rs-budget-2', budget }), OpenFileBudgetSpent);
  kept.destroy();
  await until(() => budget.held === 1, 'the closed connection to give its file back');
  await node.stop();
  assert.equal(budget.held, 0);
});

test("the private DNS server's TCP side under a budget: a connection that does not fit is reset, the file comes back when one closes", async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const budget = new OpenFileBudget(1);
  const dns = await startDnsServer({ resolve: async () => undefined, budget });
  cleanup.add(() => dns.stop());
  const kept = await dial(dns.port, cleanup);
  await until(() => budget.held === 1, 'the first connection to be counted');
  await closedByServer(dns.port, cleanup);
  assert.equal(budget.refused, 1);
  kept.destroy();
  await until(() => budget.held === 0, 'the closed connection to give its file back');
  const next = await dial(dns.port, cleanup);
  await until(() => budget.held === 1, 'the next connection to be served');
  assert.ok(!next.closed);
});
