import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The README's seed-02 walkthrough, run as written (its bash blocks, in order) against a server
// started like `npm start`, with curl --digest and Debian's AWS CLI. If the README changes, this
// test runs the new text.
const README = new URL('../../../README.md', import.meta.url);
const AWS_CLI = '/usr/bin/aws';
let server: ServerProcess;

before(async () => {
  server = await startServer();
});
after(async () => server?.destroy());

function blocks(name: string): string[] {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf(`<!-- ${name}:begin -->`), text.indexOf(`<!-- ${name}:end -->`));
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function walkthroughScript(): string {
  const seed02 = blocks('walkthrough');
  const connect = blocks('connect');
  assert.ok(seed02.length >= 5, 'the README seed-02 walkthrough has its blocks');
  assert.ok(connect.length >= 1, 'the README connect walkthrough has its block');
  return ['set -euo pipefail', ...seed02, 'echo "=== connect"', ...connect].join('\n');
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env: { ...process.env, ...env } as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('the README walkthroughs work as written: seed 02 with curl --digest + /usr/bin/aws, then connecting through the endpoint', async () => {
  assert.ok(existsSync(AWS_CLI), `${AWS_CLI} is missing: install Debian's awscli (apt-get install awscli), as .ci/run does`);
  const result = await bash(walkthroughScript(), {
    PRIVLINK_URL: server.apiUrl,
    AWS_ENDPOINT: server.localCloudUrl!,
    BOOTSTRAP: join(server.dataDir, 'bootstrap.json'),
    DNS_PORT: String(server.dnsPort),
    CA: server.caPath!,
    AWS_CLI,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  assert.equal(result.code, 0, `walkthrough failed:\n${result.stdout}\n${result.stderr}`);
  const [out, connected] = result.stdout.split('=== connect\n') as [string, string];
  // 1. created INITIATING with no name
  assert.match(out, /"endpointServiceName":null,"errorMessage":null,"id":"[a-f0-9]{24}","interfaceEndpoints":\[\],"regionName":"US_EAST_1","status":"INITIATING"/);
  // 2. AVAILABLE with an AWS service name
  const name = /"endpointServiceName":"(com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17})"[^\n]*"status":"AVAILABLE"/.exec(out);
  assert.ok(name, out);
  // 3. the AZ mismatch, word for word, then a supported subnet works
  const subnet = /^(subnet-[0-9a-f]{17})\tus-east-1e$/m.exec(out)![1];
  assert.ok(
    result.stderr.includes(
      `An error occurred (InvalidParameter) when calling the CreateVpcEndpoint operation: The VPC endpoint service ${name[1]} does not support the availability zone of the subnet: ${subnet}.`,
    ),
    result.stderr,
  );
  const zones = out.split('\n').find((line) => /^us-east-1a(\tus-east-1[a-f])+$/.test(line));
  assert.ok(zones && !zones.includes('us-east-1e'), `the service's zones exclude us-east-1e: ${zones}`);
  assert.match(out, /^pendingAcceptance$/m);
  // 4. registered: PENDING_ACCEPTANCE, then AVAILABLE; the customer sees available
  assert.match(out, /"connectionStatus":"PENDING_ACCEPTANCE"/);
  assert.match(out, /"connectionStatus":"AVAILABLE","deleteRequested":false,"errorMessage":null,"interfaceEndpointId":"vpce-[0-9a-f]{17}"/);
  assert.match(out, /^available$/m);
  // 5. delete: 202 {}, then gone; the customer endpoint is rejected
  assert.match(out, /^\{\}$/m);
  assert.match(out, /^rejected$/m);

  // Connect: the strings, their DNS records, and the driver through the endpoint.
  const srv = /"srvConnectionString":"mongodb\+srv:\/\/(cluster0-pl-0\.([a-z0-9]{5})\.privlink\.test)"/.exec(connected);
  assert.ok(srv, connected);
  const host = `pl-0-us-east-1.${srv[2]}.privlink.test`;
  for (const port of [1024, 1025, 1026]) assert.match(connected, new RegExp(`^0 0 ${port} ${host.replace(/\./g, '\\.')}\\.$`, 'm'));
  assert.match(connected, /^"authSource=admin&replicaSet=atlas-[a-z0-9]+-shard-0"$/m);
  assert.match(connected, /^ping \{"ok":1\}$/m);
  assert.match(connected, new RegExp(`^node ${host.replace(/\./g, '\\.')}:1024 primary \\(simulated: stores nothing\\)$`, 'm'));
  assert.match(connected, new RegExp(`^node ${host.replace(/\./g, '\\.')}:1026 secondary`, 'm'));
});
