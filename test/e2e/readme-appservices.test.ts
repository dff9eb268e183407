import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The README's "App Services private endpoint" walkthrough, run as written (its bash blocks after
// the first block of the main walkthrough, which defines the helpers and credentials) against a
// server started like `npm start`, with curl and Debian's AWS CLI.
const README = new URL('../../../README.md', import.meta.url);
const AWS_CLI = '/usr/bin/aws';
let server: ServerProcess;
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'privlink-readme-appservices-'));
  server = await startServer({ env: { PRIVLINK_LOG_LEVEL: 'info' } });
});
after(async () => {
  await server?.destroy();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function blocks(name: string): string[] {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf(`<!-- ${name}:begin -->`), text.indexOf(`<!-- ${name}:end -->`));
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], { env: { ...process.env, ...env } as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('the README App Services walkthrough works as written: login, service infos, aws ec2 create-vpc-endpoint, general + sync, toggle, delete', async () => {
  assert.ok(existsSync(AWS_CLI), `${AWS_CLI} is missing: install Debian's awscli (apt-get install awscli), as .ci/run does`);
  const appservices = blocks('appservices');
  assert.ok(appservices.length >= 10, 'the README App Services walkthrough has its blocks');
  const script = ['set -euo pipefail', blocks('walkthrough')[0]!, ...appservices].join('\n');
  const result = await bash(script, {
    PRIVLINK_URL: server.apiUrl,
    AWS_ENDPOINT: server.localCloudUrl!,
    BOOTSTRAP: join(server.dataDir, 'bootstrap.json'),
    DNS_PORT: String(server.dnsPort),
    AWS_CLI,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    TMPDIR: scratch,
    // The README's wait loops poll every WAIT_INTERVAL seconds (default 1).
    WAIT_INTERVAL: '0.2',
  });
  assert.equal(result.code, 0, `walkthrough failed:\n${result.stdout}\n${result.stderr}`);
  const out = result.stdout;
  // 1. the app
  assert.match(out, /"_id":"[a-f0-9]{24}","client_app_id":"myapp-[a-z]{5}","name":"MyApp","location":"US-VA","deployment_model":"LOCAL","provider_region":"aws-us-east-1"/);
  // 2. the service infos, with real service names
  assert.match(
    out,
    /^\[\{"cloud_provider_region":"aws-us-east-1","service_name":"com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}","endpoint_type":"general"\},\{"cloud_provider_region":"aws-us-east-1","service_name":"com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}","endpoint_type":"sync"\}\]$/m,
  );
  // 4. registered PENDING, then AVAILABLE; the customer sees both available
  assert.match(out, /"cloud_provider_endpoint_id":"vpce-[0-9a-f]{17}","comment":"general endpoint","endpoint_type":"general","status":"PENDING"/);
  assert.match(out, /"endpoint_type":"general","status":"AVAILABLE"/);
  assert.match(out, /"endpoint_type":"sync","status":"AVAILABLE"/);
  assert.match(out, /^available\savailable$/m);
  // 5. the app called through the general endpoint, by its App Services hostname
  assert.match(
    out,
    /^\{"deployment_model":"LOCAL","location":"US-VA","hostname":"http:\/\/us-east-1\.aws\.services\.privlink\.test:8080","ws_hostname":"ws:\/\/us-east-1\.aws\.services\.privlink\.test:8080"\}$/m,
  );
  assert.match(out, /^"hello through the private endpoint"$/m);
  // 6. legacy refused in App Services' error shape
  assert.match(out, /^400$/m);
  assert.match(out, /^\{"error":"endpoint_type \\"legacy\\" cannot be created; use \\"general\\" or \\"sync\\"","error_code":"InvalidParameter"\}$/m);
  // 7. outside the VPC: 404 while restricted; the toggle; then served from outside
  assert.match(out, /^404$/m);
  assert.match(out, /^204$/m);
  assert.match(out, /^\{"allow_non_vpc_client_requests":true\}$/m);
  assert.ok(out.indexOf('\n404\n') < out.indexOf('{"allow_non_vpc_client_requests":true}'), '404 before the toggle');
  assert.match(out, /^\{"deployment_model":"LOCAL","location":"US-VA","hostname":"http:\/\/127\.0\.0\.1:\d+","ws_hostname":"ws:\/\/127\.0\.0\.1:\d+"\}$/m);
  // 8. deleted: the customer's endpoints are rejected
  assert.match(out, /^rejected\trejected$/m);
});
