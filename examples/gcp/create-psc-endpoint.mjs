#!/usr/bin/env node
// Creates the customer's side of an Atlas (or privlink) GCP private endpoint with the official
// Google Cloud client for Node.js (@google-cloud/compute): for each service attachment i, an
// internal address and a Private Service Connect forwarding rule named <prefix>-<i>, as Atlas's
// gcloud script does. It prints the value Atlas asks for when you register the endpoints
// (`privlink privateEndpoints gcp interfaces create <prefix> --endpoint <value> …`):
//   <prefix>-0@<ip>,<prefix>-1@<ip>,…
//
// Usage:
//   node create-psc-endpoint.mjs --region us-central1 --network app-net --subnet app-subnet \
//     --service-attachments projects/…/serviceAttachments/…,projects/…/serviceAttachments/… \
//     [--prefix endpoint] [--project <id>] [--data-dir <privlink data dir>]
//
// The network and subnet must exist. Credentials: the service-account key file named by
// GOOGLE_APPLICATION_CREDENTIALS (Application Default Credentials when unset), or with --data-dir
// the local cloud's customer key from privlink's bootstrap.json. Against privlink's local cloud the
// client needs its endpoint: CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE (as gcloud names it; printed by
// `privlink localcloud gcp credentials`) or --data-dir. Against Google leave both unset.
import { AddressesClient, ForwardingRulesClient, RegionOperationsClient } from '@google-cloud/compute';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    region: { type: 'string' },
    network: { type: 'string' },
    subnet: { type: 'string' },
    'service-attachments': { type: 'string' },
    prefix: { type: 'string', default: 'endpoint' },
    project: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
if (!args.region || !args.network || !args.subnet || !args['service-attachments']) {
  console.error('usage: create-psc-endpoint.mjs --region r --network n --subnet s --service-attachments a,b,… [--prefix endpoint] [--project id] [--data-dir dir]');
  process.exit(2);
}

// Where Compute Engine is and who we are.
const local = args['data-dir'] ? JSON.parse(readFileSync(join(args['data-dir'], 'bootstrap.json'), 'utf8')).localCloud?.gcp : undefined;
if (args['data-dir'] && !local) {
  console.error(`${args['data-dir']}/bootstrap.json has no localCloud.gcp`);
  process.exit(2);
}
const keyFile = local?.keyFile ?? process.env.GOOGLE_APPLICATION_CREDENTIALS;
const key = keyFile ? JSON.parse(readFileSync(keyFile, 'utf8')) : undefined;
const endpoint = local?.endpoint ?? process.env.CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE; // unset: Google's own
const project = args.project ?? local?.projectId ?? process.env.CLOUDSDK_CORE_PROJECT ?? key?.project_id;
if (!project) {
  console.error('no project: use --project, --data-dir, CLOUDSDK_CORE_PROJECT or a key file');
  process.exit(2);
}
const url = endpoint ? new URL(endpoint) : undefined;
const options = {
  projectId: project,
  // The local cloud speaks plain HTTP on its own port; `port` is needed, the client would use 443.
  ...(url ? { apiEndpoint: url.hostname, port: Number(url.port || 80), protocol: url.protocol.replace(':', '') } : {}),
  // With a key and no scopes the client signs its own token (a self-signed JWT): no call to Google's token endpoint.
  ...(key ? { credentials: key, scopes: [] } : {}),
};
const addresses = new AddressesClient(options);
const rules = new ForwardingRulesClient(options);
const operations = new RegionOperationsClient(options);

/** Waits for a Compute operation; a DONE operation carries its error (the client does not throw it). */
async function done(write) {
  const [lro] = await write;
  let op = lro.latestResponse;
  while (op.status !== 'DONE') [op] = await operations.wait({ project, region: args.region, operation: op.name });
  if (op.error?.errors?.length) throw new Error(`${op.error.errors[0].code}: ${op.error.errors[0].message}`);
  return op;
}

const endpoints = [];
try {
  for (const [i, target] of args['service-attachments'].split(',').entries()) {
    const name = `${args.prefix}-${i}`;
    await done(
      addresses.insert({
        project,
        region: args.region,
        addressResource: { name, addressType: 'INTERNAL', subnetwork: `regions/${args.region}/subnetworks/${args.subnet}` },
      }),
    );
    const [address] = await addresses.get({ project, region: args.region, address: name });
    await done(
      rules.insert({
        project,
        region: args.region,
        forwardingRuleResource: { name, network: `global/networks/${args.network}`, IPAddress: address.selfLink, target },
      }),
    );
    const [rule] = await rules.get({ project, region: args.region, forwardingRule: name });
    console.error(`${name}: ${address.address} → ${target} (${rule.pscConnectionStatus})`);
    endpoints.push(`${name}@${address.address}`);
  }
} finally {
  await Promise.all([addresses.close(), rules.close(), operations.close()]);
}
console.log(endpoints.join(','));
