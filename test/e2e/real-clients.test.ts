import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteVpcEndpointsCommand, DescribeNetworkInterfacesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import type { BootstrapFile } from '../../src/main.js';
import { runCliProcess, tempHome } from '../cli/support/cli-runner.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// What real clients found in the data plane and the local cloud: the private DNS answers as an
// authoritative server must (dig, Node's resolver), bootstrap.json says where it is,
// `privlink dns hosts` gives hosts-file lines for resolvers that cannot be pointed at it, and a
// customer deleting their endpoint on the cloud side is noticed within 2 s.
const run = promisify(execFile);
let stack: Stack;
let serviceId: string;
let vpce: string;
let suffix: string;
let host: string;
let srvName: string;
let cliHome: { home: string; cleanup(): void };
let standard: string;
let hostsLines: string;

before(async () => {
  // A resync far away: only the cloud's announcement can make the 2 s below.
  stack = await startStack({ PRIVLINK_RECONCILER_RESYNC_MS: '600000' });
  cliHome = tempHome();
  const cluster = await stack.owner.post(`${stack.project}/clusters`, {
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(cluster.status, 201, cluster.text);
  const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  vpce = await customerEndpoint(stack.customerEc2(), (ready.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
  assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
  );
  const withStrings = await until(
    () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
    (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
  );
  const entry = (withStrings.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string; connectionString: string }> } }).connectionStrings
    .privateEndpoint[0]!;
  const srv = entry.srvConnectionString;
  standard = entry.connectionString;
  srvName = srv.replace('mongodb+srv://', '');
  suffix = /^cluster0-pl-0\.([a-z0-9]{5})\.privlink\.test$/.exec(srvName)![1]!;
  host = `pl-0-us-east-1.${suffix}.privlink.test`;
});

after(async () => {
  cliHome?.cleanup();
  await stack?.close();
});

const dig = async (...args: string[]) => (await run('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), '+time=2', '+tries=2', ...args])).stdout;

describe('bootstrap.json', () => {
  test('records where the private DNS answers: dns {host, port}', () => {
    const file = JSON.parse(readFileSync(join(stack.dataDir, 'bootstrap.json'), 'utf8')) as BootstrapFile;
    assert.deepEqual(file.dns, { host: '127.0.0.1', port: stack.running.dnsPort });
  });
});

describe('the private DNS as an authoritative server', () => {
  const soaLine = /privlink\.test\.\s+60\s+IN\s+SOA\s+ns\.privlink\.test\. hostmaster\.privlink\.test\. 1 7200 900 1209600 60/;

  test('empty non-terminals answer NOERROR with no data and the zone SOA in authority (dig)', async () => {
    for (const name of [`${suffix}.privlink.test`, `_tcp.${srvName}`]) {
      for (const type of ['A', 'TXT', 'SRV']) {
        const out = await dig(type, name);
        assert.match(out, /status: NOERROR/, `${type} ${name}`);
        assert.match(out, /flags: qr aa[^;]*; QUERY: 1, ANSWER: 0, AUTHORITY: 1/, `${type} ${name}`);
        assert.match(out, soaLine, `${type} ${name}`);
      }
    }
  });

  test('the zone apex has its SOA; names that do not exist are NXDOMAIN with the SOA; other zones are REFUSED (dig)', async () => {
    assert.match(await dig('SOA', 'privlink.test', '+short'), /^ns\.privlink\.test\. hostmaster\.privlink\.test\. 1 7200 900 1209600 60\n$/);
    assert.match(await dig('A', 'privlink.test'), /status: NOERROR[\s\S]*ANSWER: 0, AUTHORITY: 1/);
    for (const name of [`nothing.${host}`, `nothing.${suffix}.privlink.test`, 'zzzzz.privlink.test', `_udp.${srvName}`]) {
      const out = await dig('A', name);
      assert.match(out, /status: NXDOMAIN/, name);
      assert.match(out, soaLine, name);
    }
    for (const name of ['example.com', 'privlink.test.example.com', 'test']) {
      const out = await dig('A', name);
      assert.match(out, /status: REFUSED/, name);
      assert.doesNotMatch(out, /flags: qr aa/, name);
    }
    // The records themselves are unchanged.
    assert.equal((await dig('SRV', `_mongodb._tcp.${srvName}`, '+short')).trim().split('\n').length, 3);
  });

  test("Node's resolver tells the three apart: ENODATA, ENOTFOUND, EREFUSED", async () => {
    const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
    resolver.setServers([`127.0.0.1:${stack.running.dnsPort}`]);
    await assert.rejects(resolver.resolve4(`${suffix}.privlink.test`), { code: 'ENODATA' });
    await assert.rejects(resolver.resolveTxt(`_tcp.${srvName}`), { code: 'ENODATA' });
    await assert.rejects(resolver.resolve4(`nothing.${suffix}.privlink.test`), { code: 'ENOTFOUND' });
    await assert.rejects(resolver.resolve4('example.com'), { code: 'EREFUSED' });
    assert.equal((await resolver.resolveSrv(`_mongodb._tcp.${srvName}`)).length, 3);
  });
});

describe('the endpoint private IPs and the names that resolve to them', () => {
  test("DescribeNetworkInterfaces gives the interface describe-vpc-endpoints lists, and the private DNS answers that interface's address", async () => {
    const ec2 = stack.customerEc2();
    const endpoint = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }))).VpcEndpoints![0]!;
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: endpoint.NetworkInterfaceIds }))).NetworkInterfaces!;
    assert.equal(enis.length, 1);
    const carried = (await stack.running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces;
    assert.deepEqual(
      carried.map((n) => [n.networkInterfaceId, n.privateIp]),
      enis.map((e) => [e.NetworkInterfaceId, e.PrivateIpAddress]),
    );
    assert.deepEqual((await dig('A', host, '+short')).trim().split('\n'), [carried[0]!.loopbackAddress]);
  });

  test('privlink dns hosts prints hosts-file lines with the addresses the private DNS answers (server from --data-dir)', async () => {
    const env = {
      PRIVLINK_BASE_URL: stack.running.apiUrl,
      PRIVLINK_PUBLIC_API_KEY: stack.bootstrap.publicKey,
      PRIVLINK_PRIVATE_API_KEY: stack.bootstrap.privateKey,
    };
    const result = await runCliProcess(['dns', 'hosts', '--projectId', stack.projectId, '--data-dir', stack.dataDir], { home: cliHome.home, env });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines[0], `# privlink private endpoint names of project ${stack.projectId}, from the private DNS at 127.0.0.1:${stack.running.dnsPort}`);
    const entries = lines.slice(1).map((line) => line.split('\t') as [string, string]);
    assert.deepEqual(
      entries.map(([, name]) => name),
      [host],
    );
    for (const [address, name] of entries) assert.deepEqual((await dig('A', name, '+short')).trim().split('\n'), [address]);
    // The same with the server named explicitly; a wrong one fails clearly.
    const named = await runCliProcess(['dns', 'hosts', '--projectId', stack.projectId, '--dnsServer', `127.0.0.1:${stack.running.dnsPort}`], { home: cliHome.home, env });
    assert.equal(named.stdout, result.stdout);
    hostsLines = result.stdout;
    const bad = await runCliProcess(['dns', 'hosts', '--projectId', stack.projectId, '--dnsServer', 'nowhere'], { home: cliHome.home, env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /invalid DNS server 'nowhere': expected host:port/);
  });

  test("with those lines in /etc/hosts the system resolver (getent) and the official driver's own lookups reach the cluster through the endpoint (standard string, TLS)", async (t) => {
    assert.ok(hostsLines, 'the previous test printed the lines');
    // /etc/hosts is the machine's: the lines go into a private copy bind-mounted over it in a
    // mount namespace of this test's own (needs root or unprivileged user namespaces).
    const probe = await run('unshare', ['-rm', 'true']).then(
      () => true,
      () => false,
    );
    if (!probe) {
      t.skip('unshare -rm is not permitted here (no user namespaces): /etc/hosts cannot be replaced privately');
      return;
    }
    const dir = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'hosts-'));
    try {
      const hostsFile = join(dir, 'hosts');
      writeFileSync(hostsFile, `${readFileSync('/etc/hosts', 'utf8')}\n${hostsLines}`);
      const address = hostsLines.trim().split('\n')[1]!.split('\t')[0]!;
      const [a, b, c] = address.split('.');
      const script = join(dir, 'connect.mjs');
      writeFileSync(
        script,
        `import { MongoClient } from ${JSON.stringify(createRequire(import.meta.url).resolve('mongodb'))};
const client = new MongoClient(process.argv[2], { localAddress: process.argv[3], serverSelectionTimeoutMS: 8000 });
try {
  const hello = await client.db('admin').command({ hello: 1 });
  console.log(JSON.stringify({ ping: await client.db('admin').command({ ping: 1 }), hosts: hello.hosts }));
} finally {
  await client.close();
}
`,
      );
      const url = `${standard.replace('ssl=true', 'tls=true')}&tlsCAFile=${encodeURIComponent(stack.running.caPath!)}`;
      const inside = `mount --bind "$1" /etc/hosts && getent ahostsv4 "$2" | awk '{print $1}' | sort -u && "$3" "$4" "$5" "$6"`;
      const { stdout } = await run('unshare', ['-rm', 'sh', '-c', inside, 'sh', hostsFile, host, process.execPath, script, url, `${a}.${b}.${c}.250`], { timeout: 30_000 });
      const [resolved, result] = stdout.trim().split('\n');
      assert.equal(resolved, address, 'getent resolves the name from the hosts file to the address the private DNS answers');
      const answer = JSON.parse(result!) as { ping: { ok: number }; hosts: string[] };
      assert.deepEqual(answer.ping, { ok: 1 });
      assert.deepEqual([...answer.hosts].sort(), standard.replace('mongodb://', '').split('/')[0]!.split(',').sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the customer deletes the endpoint on the cloud side', () => {
  test('the registration leaves AVAILABLE within 2 s (the local cloud announces the change; no resync)', async () => {
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`;
    assert.equal(((await stack.owner.get(path)).json as { connectionStatus: string }).connectionStatus, 'AVAILABLE');
    await stack.customerEc2().send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    const deletedAt = Date.now();
    const changed = await until(
      () => stack.owner.get(path),
      (r) => (r.json as { connectionStatus: string }).connectionStatus !== 'AVAILABLE',
      2000,
    );
    const elapsed = Date.now() - deletedAt;
    assert.equal((changed.json as { connectionStatus: string }).connectionStatus, 'REJECTED', changed.text);
    assert.ok(elapsed < 2000, `noticed after ${elapsed} ms`);
    // The private names go with it.
    await until(
      () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
      (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length === 0,
    );
    assert.match(await dig('A', host), /status: NXDOMAIN/);
  });
});
