import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HostNetwork } from '../../src/localcloud/kernel/host-network.js';
import { hostTable, instanceTag, namespacePrefix, vethPrefix } from '../../src/localcloud/kernel/kernel-plan.js';
import { CLI, startServer, type ServerProcess } from '../support/server-process.js';

// The kernel data plane across a crash: a privlink SIGKILLed leaves its namespaces, links and
// table behind; the next start from the same data directory removes them and makes them again
// (none twice, none left over), and a clean stop leaves nothing.
const run = promisify(execFile);
const unavailable = await HostNetwork.unavailable();
const skip = unavailable ? `the kernel data plane cannot run on this host: ${unavailable}` : false;
const KERNEL = { PRIVLINK_LOCALCLOUD_DATA_PLANE: 'kernel' };

let server: ServerProcess | undefined;

after(async () => {
  await server?.destroy();
});

/** The namespaces, host links and host table of this privlink's tag, as the host has them now. */
async function onHost(tag: string): Promise<{ namespaces: string[]; links: string[]; table: boolean }> {
  const namespaces = (await run('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(namespacePrefix(tag)))
    .sort();
  const links = [...(await run('ip', ['-o', 'link', 'show', 'type', 'veth'])).stdout.matchAll(/^\d+: ([^:@\s]+)/gm)]
    .map((m) => m[1]!)
    .filter((name) => name.startsWith(vethPrefix(tag)))
    .sort();
  const table = await run('nft', ['list', 'table', 'ip', hostTable(tag)]).then(
    () => true,
    () => false,
  );
  return { namespaces, links, table };
}

/** The namespaces the server lists for the CLI. */
function listed(dataDir: string): Array<{ networkId: string; namespace: string }> {
  return (JSON.parse(readFileSync(join(dataDir, 'kernel-namespaces.json'), 'utf8')) as { namespaces: Array<{ networkId: string; namespace: string }> }).namespaces;
}

/** Waits until the server lists at least one namespace and the host has every one of them. */
async function settled(dataDir: string, tag: string, vpcId?: string): Promise<Array<{ networkId: string; namespace: string }>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = (() => {
      try {
        return listed(dataDir);
      } catch {
        return [];
      }
    })();
    const host = await onHost(tag);
    if (list.length > 0 && host.table && (!vpcId || list.some((n) => n.networkId === vpcId)) && list.every((n) => host.namespaces.includes(n.namespace))) return list;
    if (Date.now() > deadline) throw new Error(`the kernel data plane did not settle: listed ${JSON.stringify(list)}, host ${JSON.stringify(host)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('kernel data plane across a crash', { skip }, () => {
  test('SIGKILL leaves the namespaces; the next start makes them again, once each; a clean stop removes them', async () => {
    server = await startServer({ env: KERNEL });
    const { dataDir, location } = server;
    const tag = instanceTag(dataDir);
    // The customer's default VPC, as a customer's first call finds it.
    const customer = server.bootstrap.localCloud!.customer;
    const ec2 = new EC2Client({
      endpoint: server.localCloudUrl!,
      region: 'us-east-1',
      credentials: { accessKeyId: customer.accessKeyId, secretAccessKey: customer.secretAccessKey },
    });
    const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
    ec2.destroy();
    const first = await settled(dataDir, tag, vpcId);
    const before = await onHost(tag);
    assert.deepEqual(before.namespaces, first.map((n) => n.namespace).sort());
    assert.equal(before.links.length, before.namespaces.length, 'one link per namespace');

    await server.kill();
    const left = await onHost(tag);
    assert.deepEqual(left.namespaces, before.namespaces, 'a killed process cleans nothing up');
    assert.ok(left.table);

    // A process of the old namespace still runs there: its link must not survive the restart either.
    const holder = execFile('ip', ['netns', 'exec', before.namespaces[0]!, 'sleep', '30']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      server = await startServer({ env: KERNEL, location, dataDir });
      const again = await settled(dataDir, tag, vpcId);
      const now = await onHost(tag);
      assert.deepEqual(now.namespaces, again.map((n) => n.namespace).sort(), 'every namespace listed is on the host, none twice, none left over');
      assert.equal(now.links.length, now.namespaces.length, 'one link per namespace: the old ones are gone');
      // A command runs in the namespace made again, and reaches its VPC's resolver (privlink's DNS).
      const vpc = again.find((n) => n.networkId.startsWith('vpc-'))!;
      const { stdout } = await run('node', [
        CLI,
        'localcloud',
        'exec',
        '--vpc',
        vpc.networkId,
        '--data-dir',
        dataDir,
        '--',
        'dig',
        '+short',
        '+time=2',
        '+tries=1',
        'SOA',
        'privlink.test',
      ]);
      assert.match(stdout, /^ns\.privlink\.test\. hostmaster\.privlink\.test\. /m);
    } finally {
      holder.kill();
    }

    await server.stop();
    assert.deepEqual(await onHost(tag), { namespaces: [], links: [], table: false });
  });
});
