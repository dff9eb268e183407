#!/usr/bin/env node
// Connects the official MongoDB Node driver to a cluster through a privlink private endpoint:
//   node examples/connect.mjs <mongodb+srv://[user:password@]…-pl-0…> [--dns 127.0.0.1:5353] [--ca .privlink/ca.pem | --no-tls] [--local-address <ip>]
// SRV/TXT lookups go to privlink's private DNS (dns.setServers); host lookups too (the driver's
// `lookup` option), so nothing on the machine's resolver changes. Prints ping, who is logged in,
// and each node's hello (each node logs the same user in). With a user, also what a data command
// answers (the simulated nodes store nothing).
import { setServers } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { MongoClient } from 'mongodb';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const srv = args.find((a) => a.startsWith('mongodb'));
if (!srv) {
  console.error('usage: node examples/connect.mjs <mongodb+srv://…> [--dns host:port] [--ca file | --no-tls] [--local-address ip]');
  process.exit(1);
}
const dns = flag('--dns', '127.0.0.1:5353');
setServers([dns]);
const resolver = new Resolver();
resolver.setServers([dns]);
const lookup = (hostname, options, callback) => {
  const cb = typeof options === 'function' ? options : callback;
  resolver.resolve4(hostname).then(
    (addresses) =>
      options?.all
        ? cb(
            null,
            addresses.map((address) => ({ address, family: 4 })),
          )
        : cb(null, addresses[0], 4),
    (error) => cb(error),
  );
};
// `user:password@` of the string (URL-encoded, as in any MongoDB connection string), reused for each node.
const userinfo = /^mongodb(?:\+srv)?:\/\/([^@/]+@)?/.exec(srv)?.[1] ?? '';
const tls = args.includes('--no-tls') ? 'tls=false' : `tlsCAFile=${encodeURIComponent(flag('--ca', '.privlink/ca.pem'))}`;
const localAddress = flag('--local-address', undefined);
const client = new MongoClient(`${srv}/?${tls}`, { lookup, serverSelectionTimeoutMS: 10_000, ...(localAddress ? { localAddress } : {}) });
try {
  console.log('ping', JSON.stringify(await client.db('admin').command({ ping: 1 })));
  const { authInfo } = await client.db('admin').command({ connectionStatus: 1 });
  const user = authInfo.authenticatedUsers[0];
  console.log('logged in as', user ? `${user.user} (${authInfo.authenticatedUserRoles.map((r) => `${r.role}@${r.db}`).join(', ')})` : '(nobody)');
  if (user) {
    await client
      .db('test')
      .collection('items')
      .findOne({})
      .then(
        () => console.log('find ok'),
        (error) => console.log('find', error.codeName ?? error.name, error.message),
      );
  }
  const hello = await client.db('admin').command({ hello: 1 });
  console.log('replica set', hello.setName ?? '(mongos)', 'hosts', (hello.hosts ?? []).join(','));
  // A load-balanced front end (a serverless instance's, a sharded cluster's -lb string) names no hosts to dial one by one.
  const members = hello.hosts ?? (hello.me ? [hello.me] : []);
  if (members.length === 0) console.log('front end', hello.msg === 'isdbgrid' ? 'mongos' : 'server', hello.privlinkSimulated ? '(simulated: stores nothing)' : '');
  for (const host of members) {
    const direct = new MongoClient(`mongodb://${userinfo}${host}/?directConnection=true&authSource=admin&${tls}`, {
      lookup,
      serverSelectionTimeoutMS: 10_000,
      ...(localAddress ? { localAddress } : {}),
    });
    try {
      const node = await direct.db('admin').command({ hello: 1 });
      console.log('node', node.me, node.isWritablePrimary ? 'primary' : 'secondary', node.privlinkSimulated ? '(simulated: stores nothing)' : '');
    } finally {
      await direct.close();
    }
  }
} finally {
  await client.close();
}
