import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { after, test } from 'node:test';
import { createLogger } from '../../logging/logger.js';
import { PublicGateway, type PublicGatewayRoute, type PublicRouteUpdate } from './public-gateway.js';

// The public gateway takes its routes whole once, then as the projects that changed: its real
// listeners must follow each update exactly, touching no other project's.

/** Ports nobody listens on now (each bound once and released). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const route = (projectId: string, port: number, clusterId = `${projectId}-c`): PublicGatewayRoute => ({ address: '127.0.0.1', port, projectId, clusterId, targetName: 'node-0' });

const updates: PublicRouteUpdate[] = [];
const asked: Array<number | undefined> = [];
const gateway = new PublicGateway({
  routes: async (since) => {
    asked.push(since);
    const next = updates.shift();
    if (!next) throw new Error('no update scripted');
    return next;
  },
  // Everyone on loopback is let in (and, with no node to reach, closed at once): a listener answers the connect.
  accessList: async () => [{ entryKey: '127.0.0.0/8', kind: 'cidrBlock', deleteAfterDate: null }],
  target: () => undefined,
  log: createLogger('silent'),
  pollMs: 3_600_000,
  minPassGapMs: 0,
});
after(() => gateway.stop());

test('listeners follow whole and per-project updates, and a listen that failed is tried again', async () => {
  const [a1, a2, b1, c1, c2] = await freePorts(5);
  updates.push({ version: 1, whole: [route('a', a1!), route('b', b1!)] });
  await gateway.start();
  assert.deepEqual([await listening(a1!), await listening(b1!)], [true, true], 'the whole answer opened every listener');

  // Project a moves from a1 to a2; b is not in the update and keeps its listener.
  updates.push({ version: 2, projects: [['a', [route('a', a2!)]]] });
  await gateway.refresh();
  assert.deepEqual(asked.slice(-1), [1], 'asked with the version it holds');
  assert.deepEqual([await listening(a1!), await listening(a2!), await listening(b1!)], [false, true, true]);

  // Project c wants c1, which something else holds now: not opened, tried again on the next pass.
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(c1!, '127.0.0.1', resolve));
  updates.push({ version: 3, projects: [['c', [route('c', c1!), route('c', c2!)]]] });
  await gateway.refresh();
  assert.equal(await listening(c2!), true);
  await new Promise((resolve) => squatter.close(resolve));
  assert.equal(await listening(c1!), false, 'the squatter is gone, the gateway did not listen there yet');
  updates.push({ version: 3, projects: [] });
  await gateway.refresh();
  assert.equal(await listening(c1!), true, 'a pass with nothing changed tried the failed listener again');

  // Project b has no routes now; a's address goes to c's cluster in the same update.
  updates.push({
    version: 4,
    projects: [
      ['b', []],
      ['a', []],
      ['c', [route('c', c1!), route('c', c2!), route('c', a2!, 'c-other')]],
    ],
  });
  await gateway.refresh();
  assert.deepEqual([await listening(b1!), await listening(a2!), await listening(c1!), await listening(c2!)], [false, true, true, true], 'a2 stays open, now for c');

  // A whole answer again (the book read everything): only what it lists stays.
  updates.push({ version: 9, whole: [route('c', c2!)] });
  await gateway.refresh();
  assert.deepEqual([await listening(a2!), await listening(c1!), await listening(c2!)], [false, false, true]);
  assert.deepEqual(asked, [undefined, 1, 2, 3, 3, 4]);
});
