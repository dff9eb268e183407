import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { runCliProcess, tempHome, type RunOptions } from './support/cli-runner.js';

/**
 * `watch` behaviour with a scripted Admin API stub (no authentication challenge, fixed status
 * sequences), so that poll counts, dots, the spinner, FAILED, errors during a watch and Ctrl-C
 * are deterministic. Everything else runs against the real server in the *.e2e tests.
 */
const PROJECT = '0123456789abcdef01234567';
const SCRIPTS: Record<string, Array<{ status: number; body: unknown; type?: string }>> = {};
const served: Record<string, number[]> = {};

function service(id: string, status: string, errorMessage: string | null = null) {
  return {
    status: 200,
    body: {
      cloudProvider: 'AWS',
      endpointServiceName: status === 'AVAILABLE' ? 'com.amazonaws.vpce.us-east-1.vpce-svc-0667f4ca6f4a2bbc8' : null,
      errorMessage,
      id,
      interfaceEndpoints: [],
      regionName: 'US_EAST_1',
      status,
      supportedRemoteRegions: null,
    },
  };
}

describe('watch (against a scripted API)', () => {
  let server: Server;
  let baseUrl: string;
  let home: string;
  let cleanup: () => void;

  before(async () => {
    ({ home, cleanup } = tempHome());
    server = createServer((req, res) => {
      const id = /\/endpointService\/([0-9a-z]+)$/.exec(req.url ?? '')?.[1] ?? '';
      (served[id] ??= []).push(Date.now());
      const script = SCRIPTS[id];
      const step = script ? script[Math.min(served[id]!.length - 1, script.length - 1)]! : { status: 502, body: '<html>Bad Gateway</html>', type: 'text/html' };
      const text = typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
      res.writeHead(step.status, { 'content-type': step.type ?? (step.status < 300 ? 'application/vnd.atlas.2023-01-01+json' : 'application/json') });
      res.end(text);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    cleanup();
  });

  const run = (args: string[], options: Partial<RunOptions> = {}) =>
    runCliProcess(['privateEndpoints', 'aws', ...args, '--projectId', PROJECT], {
      home,
      ...options,
      env: { PRIVLINK_BASE_URL: baseUrl, PRIVLINK_PUBLIC_API_KEY: 'abcdefgh', PRIVLINK_PRIVATE_API_KEY: 'k', ...(options.env ?? {}) },
    });

  test('in a pipe: one dot on stderr per poll that is not done, then the Atlas message on stdout, exit 0', async () => {
    const id = 'a00000000000000000000001';
    SCRIPTS[id] = [service(id, 'INITIATING'), service(id, 'INITIATING'), service(id, 'INITIATING'), service(id, 'AVAILABLE')];
    const result = await run(['watch', id, '--interval', '100ms']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '...');
    assert.equal(result.stdout, '\nPrivate endpoint changes completed.\n');
    assert.equal(served[id]!.length, 4);
  });

  test('on a terminal: a spinner on stderr, erased at the end; no dots', async () => {
    const id = 'a00000000000000000000002';
    SCRIPTS[id] = [service(id, 'INITIATING'), service(id, 'INITIATING'), service(id, 'AVAILABLE')];
    const result = await run(['watch', id, '--interval', '300ms'], { tty: true });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '\nPrivate endpoint changes completed.\n');
    assert.match(result.stderr, /^\|(\u0008[/\\|-])+\u0008 \u0008$/, JSON.stringify(result.stderr));
    assert.ok(!result.stderr.includes('.'));
  });

  test('FAILED ends the watch with exit 1 and the service error message', async () => {
    const id = 'a00000000000000000000003';
    SCRIPTS[id] = [service(id, 'INITIATING'), service(id, 'FAILED', 'The network load balancer could not be created.')];
    const result = await run(['watch', id, '--interval', '100ms']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `.\nError: private endpoint '${id}' is FAILED: The network load balancer could not be created.\n`);
  });

  test('an API error during the watch (404 after deletion) ends it with that error', async () => {
    const id = 'a00000000000000000000004';
    SCRIPTS[id] = [
      service(id, 'INITIATING'),
      {
        status: 404,
        body: {
          detail: `Cannot find resource AWS private endpoint service with id ${id}.`,
          error: 404,
          errorCode: 'RESOURCE_NOT_FOUND',
          parameters: [`AWS private endpoint service with id ${id}`],
          reason: 'Not Found',
        },
      },
    ];
    const result = await run(['watch', id, '--interval', '100ms']);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `.\nError: ${baseUrl}/api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService/${id} GET: HTTP 404 Not Found (Error code: "RESOURCE_NOT_FOUND") Detail: Cannot find resource AWS private endpoint service with id ${id}. Reason: Not Found. Params: [AWS private endpoint service with id ${id}]\n`,
    );
  });

  test('Ctrl-C (SIGINT) cancels the watch with exit code 2', async () => {
    const id = 'a00000000000000000000005';
    SCRIPTS[id] = [service(id, 'INITIATING')];
    const result = await run(['watch', id, '--interval', '100ms'], {
      onSpawn: (child) => {
        child.stderr!.once('data', () => setTimeout(() => child.kill('SIGINT'), 150));
      },
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^\.+\n$/);
    assert.equal(result.stdout, '');
  });

  test('polls every 4 seconds by default', async () => {
    const id = 'a00000000000000000000006';
    SCRIPTS[id] = [service(id, 'INITIATING'), service(id, 'AVAILABLE')];
    const result = await run(['watch', id]);
    assert.equal(result.code, 0, result.stderr);
    const [first, second] = served[id]!;
    assert.ok(second! - first! >= 3900 && second! - first! < 6000, `interval ${second! - first!} ms`);
  });

  test('an error body that is not an Atlas envelope is shown after the status line', async () => {
    const result = await run(['describe', 'b00000000000000000000000']);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `Error: ${baseUrl}/api/atlas/v2/groups/${PROJECT}/privateEndpoint/AWS/endpointService/b00000000000000000000000 GET: HTTP 502 Bad Gateway <html>Bad Gateway</html>\n`,
    );
  });
});
