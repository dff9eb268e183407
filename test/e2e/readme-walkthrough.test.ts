import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HostNetwork } from '../../src/localcloud/kernel/host-network.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The README's walkthroughs, run as written (their bash blocks, in order) against a server started
// like `npm start`, with curl --digest and Debian's AWS CLI. If the README changes, this test runs
// the new text. The scripts' `mktemp -d` folders go to a folder of this run, removed at the end.
const README = new URL('../../../README.md', import.meta.url);
const AWS_CLI = '/usr/bin/aws';
let server: ServerProcess;
let scratch: string;
// The kernel data plane's walkthrough runs where the host can run it (Linux, root, ip, nft).
const kernelUnavailable = await HostNetwork.unavailable();
/** The output of the walkthrough's kernel block, once the first test ran it. */
let kernelOutput: string | undefined;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'privlink-readme-'));
  server = await startServer({ env: { PRIVLINK_LOG_LEVEL: 'info', ...(kernelUnavailable ? {} : { PRIVLINK_LOCALCLOUD_DATA_PLANE: 'kernel' }) } });
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

function walkthroughScript(): string {
  const walkthrough = blocks('walkthrough');
  const connect = blocks('connect');
  const azure = blocks('azure');
  const gcp = blocks('gcp');
  const serverless = blocks('serverless');
  const kernel = blocks('kernel');
  assert.ok(kernel.length >= 1, 'the README kernel walkthrough has its block');
  assert.ok(serverless.length >= 6, 'the README serverless walkthrough has its blocks');
  assert.ok(walkthrough.length >= 5, 'the README walkthrough has its blocks');
  assert.ok(gcp.length >= 5, 'the README GCP walkthrough has its blocks');
  assert.ok(connect.length >= 1, 'the README connect walkthrough has its block');
  assert.ok(azure.length >= 5, 'the README Azure walkthrough has its blocks');
  return [
    'set -euo pipefail',
    ...walkthrough,
    'echo "=== connect"',
    ...connect,
    ...(kernelUnavailable ? [] : ['echo "=== kernel"', ...kernel]),
    'echo "=== azure"',
    ...azure,
    'echo "=== gcp"',
    ...gcp,
    'echo "=== serverless"',
    ...serverless,
  ].join('\n');
}

function serverEnv(): Record<string, string> {
  return {
    PRIVLINK_URL: server.apiUrl,
    AWS_ENDPOINT: server.localCloudUrl!,
    BOOTSTRAP: join(server.dataDir, 'bootstrap.json'),
    DNS_PORT: String(server.dnsPort),
    PRIVLINK_DATA_DIR: server.dataDir,
    CA: server.caPath!,
    AWS_CLI,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    TMPDIR: scratch,
    // The README's wait loops poll every WAIT_INTERVAL seconds (default 1).
    WAIT_INTERVAL: '0.2',
  };
}

/** The server's structured log lines with message `msg`. */
function logLines(msg: string): Array<Record<string, unknown>> {
  return server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
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

test('the README walkthroughs work as written: curl --digest + /usr/bin/aws, then connecting through the endpoint', async () => {
  assert.ok(existsSync(AWS_CLI), `${AWS_CLI} is missing: install Debian's awscli (apt-get install awscli), as .ci/run does`);
  const result = await bash(walkthroughScript(), serverEnv());
  assert.equal(result.code, 0, `walkthrough failed:\n${result.stdout}\n${result.stderr}`);
  const [out, rest] = result.stdout.split('=== connect\n') as [string, string];
  const [connectedAll, clouds] = rest.split('=== azure\n') as [string, string];
  const [connected, kernel] = connectedAll.split('=== kernel\n') as [string, string | undefined];
  kernelOutput = kernel;
  const [azure, others] = clouds.split('=== gcp\n') as [string, string];
  const [gcp, serverless] = others.split('=== serverless\n') as [string, string];
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
  // The database user: created without its password in the answer, then logged in on every node.
  assert.match(
    connected,
    /^\{"awsIAMType":"NONE","databaseName":"admin","groupId":"[a-f0-9]{24}".*"roles":\[\{"databaseName":"admin","roleName":"readWriteAnyDatabase"\}\],"scopes":\[\{"name":"Cluster0","type":"CLUSTER"\}\],"username":"appUser","x509Type":"NONE"\}$/m,
  );
  assert.ok(!/"password"/.test(connected), 'no password in any answer');
  assert.match(connected, /^logged in as appUser \(readWriteAnyDatabase@admin\)$/m);
  assert.match(connected, /^find CommandNotSupported privlink simulated node stores nothing/m);

  // Azure: the recorded shapes, the SDK's private endpoint, approval, the driver through it, delete.
  assert.match(
    azure,
    /"cloudProvider":"AZURE","errorMessage":null,"id":"[a-f0-9]{24}","privateEndpoints":\[\],"privateLinkServiceName":null,"privateLinkServiceResourceId":null,"regionName":"US_EAST_2","status":"INITIATING"/,
  );
  const pls =
    /"privateLinkServiceName":"(pls_[a-f0-9]{24})","privateLinkServiceResourceId":"(\/subscriptions\/[^"]+\/privateLinkServices\/pls_[a-f0-9]{24})"[^\n]*"status":"AVAILABLE"/.exec(
      azure,
    );
  assert.ok(pls, azure);
  const pe = /^\{"id":"(\/subscriptions\/[^"]+\/privateEndpoints\/pe-atlas)","privateEndpointIPAddress":"(10\.1\.0\.\d+)"\}$/m.exec(azure);
  assert.ok(pe, azure);
  assert.match(azure, new RegExp(`"privateEndpointResourceId":"${pe[1]!.replace(/[/.]/g, '\\$&')}","status":"INITIATING"`));
  assert.match(azure, /"privateEndpointConnectionName":"[^"]+","privateEndpointIPAddress":"10\.1\.0\.\d+","privateEndpointResourceId":"[^"]+","status":"AVAILABLE"/);
  assert.match(azure, new RegExp(`"endpointId":"${pe[1]!.replace(/[/.]/g, '\\$&')}","providerName":"AZURE","region":"US_EAST_2"`));
  assert.match(azure, /^ping \{"ok":1\}$/m);
  assert.match(azure, /^node pl-0-[a-z0-9-]+\.[a-z0-9]{5}\.privlink\.test:\d+ primary \(simulated: stores nothing\)$/m);
  assert.match(azure, /^204$/m);

  // GCP: port mapping, one attachment, the customer's forwarding rule as an endpoint group, the driver through it, delete.
  assert.match(
    gcp,
    /"cloudProvider":"GCP","endpointGroupNames":\[\],"errorMessage":null,"id":"[a-f0-9]{24}","portMappingEnabled":true,"regionName":"CENTRAL_US","serviceAttachmentNames":\[\],"status":"INITIATING"/,
  );
  const attachment = /"serviceAttachmentNames":\["(projects\/[-a-z0-9]+\/regions\/us-central1\/serviceAttachments\/[-a-z0-9]+)"\],"status":"AVAILABLE"/.exec(gcp);
  assert.ok(attachment, gcp);
  const group =
    /"endpointGroupName":"([-a-z0-9]+)","endpoints":\[\{"endpointName":"[-a-z0-9]+","ipAddress":"(10\.128\.\d+\.\d+)","status":"AVAILABLE"\}\][^\n]*"status":"AVAILABLE"/.exec(gcp);
  assert.ok(group, gcp);
  assert.match(gcp, new RegExp(`^${group[1]}\\s+${group[2]!.replace(/\./g, '\\.')}\\s+\\S+${attachment[1]!.split('/').pop()}\\s+ACCEPTED\\s+\\d+$`, 'm'));
  assert.match(gcp, new RegExp(`"endpointId":"${group[1]}","providerName":"GCP","region":"CENTRAL_US"`));
  assert.equal((gcp.match(/^0 0 \d+ psc-0-us-central1\.[a-z0-9]{5}\.privlink\.test\.$/gm) ?? []).length, 3, gcp);
  assert.match(gcp, /^ping \{"ok":1\}$/m);
  assert.match(gcp, /^node psc-0-us-central1\.[a-z0-9]{5}\.privlink\.test:\d+ primary \(simulated: stores nothing\)$/m);
  assert.match(gcp, /^204$/m);

  // Serverless over AWS PrivateLink, as Atlas documents it on v1.0: reserve, read the service name, PATCH, connect, delete.
  assert.match(
    serverless,
    /"_id" ?: ?"[a-f0-9]{24}",\s*"cloudProviderEndpointId" ?: ?null,\s*"comment" ?: ?"example comment",\s*"endpointServiceName" ?: ?null,\s*"errorMessage" ?: ?null,[\s\S]*?"status" ?: ?"RESERVATION_REQUESTED"/,
  );
  assert.match(serverless, /"endpointServiceName" ?: ?"com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}"[\s\S]*?"status" ?: ?"RESERVED"/);
  assert.match(serverless, /^400$/m);
  assert.match(serverless, /"cloudProviderEndpointId":"vpce-[0-9a-f]{17}"[^\n]*"status":"AVAILABLE"/);
  const slSrv = /^0 0 27017 (pe-0-serverlessinstance0\.[a-z0-9]{5}\.privlink\.test)\.$/m.exec(serverless);
  assert.ok(slSrv, serverless);
  assert.match(serverless, /^"authSource=admin&loadBalanced=true"$/m);
  assert.match(serverless, /^ping \{"ok":1\}$/m);
  assert.match(serverless, /^front end mongos \(simulated: stores nothing\)$/m);
  assert.match(serverless, /^204$/m);
  assert.match(serverless, /^rejected$/m);
});

test(
  'the README kernel walkthrough: from inside the VPC, the private address and the driver through it',
  { skip: kernelUnavailable ? `the kernel data plane cannot run on this host: ${kernelUnavailable}` : false },
  () => {
    assert.ok(kernelOutput, 'the walkthrough ran its kernel block');
    const lines = kernelOutput.split('\n');
    assert.match(lines[0]!, /^172\.31\.\d+\.\d+$/, kernelOutput);
    assert.match(kernelOutput, /^ping \{"ok":1\}$/m);
    assert.match(kernelOutput, /^logged in as appUser \(readWriteAnyDatabase@admin\)$/m);
    assert.match(kernelOutput, /^node pl-0-us-east-1\.[a-z0-9]{5}\.privlink\.test:1024 primary \(simulated: stores nothing\)$/m);
  },
);

test('the server logs each state transition at info level, with its ids', () => {
  const available = logLines('endpoint service status changed').filter((line) => line.to === 'AVAILABLE');
  assert.ok(available.length >= 1, server.output());
  assert.equal(available[0]!.from, 'INITIATING');
  assert.equal(available[0]!.provider, 'AWS');
  assert.equal(available[0]!.region, 'US_EAST_1');
  assert.match(String(available[0]!.projectId), /^[0-9a-f]{24}$/);
  assert.match(String(available[0]!.endpointServiceId), /^[0-9a-f]{24}$/);
  assert.ok(logLines('endpoint service created at the provider').length >= 1);
  assert.ok(logLines('endpoint service deleted').some((line) => line.to === 'DELETED'));
  const endpoint = logLines('interface endpoint status changed');
  assert.ok(
    endpoint.some((line) => line.to === 'AVAILABLE' && /^vpce-[0-9a-f]{17}$/.test(String(line.endpointId))),
    server.output(),
  );
  assert.ok(logLines('interface endpoint connection accepted').length >= 1);
  assert.ok(logLines('cluster state changed').some((line) => line.from === 'CREATING' && line.to === 'IDLE' && line.clusterName === 'Cluster0'));
});

test('the README helpers fail loudly: step 1 on a region that has a service stops with the 409, wait_for gives up with what it saw', async () => {
  const [setup, step1] = blocks('walkthrough') as [string, string];
  // Two creates in one region: the second is the re-run of the walkthrough on the same data.
  const rerun = await bash(['set -euo pipefail', setup, step1, step1, 'echo "reached: SERVICE_ID=$SERVICE_ID"'].join('\n'), serverEnv());
  assert.notEqual(rerun.code, 0, rerun.stdout);
  assert.match(rerun.stdout + rerun.stderr, /PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION/);
  assert.match(rerun.stderr, /409/);
  assert.doesNotMatch(rerun.stdout, /reached:/);
  const waited = await bash(['set -euo pipefail', setup, 'WAIT_SECONDS=2 wait_for "$API/clusters/Cluster0" NEVER_THERE', 'echo reached'].join('\n'), serverEnv());
  assert.notEqual(waited.code, 0);
  assert.match(waited.stderr, /wait_for: no NEVER_THERE after 2 s at .*\/clusters\/Cluster0; last answer: \{.*"name":"Cluster0"/);
  assert.doesNotMatch(waited.stdout, /reached/);
});
