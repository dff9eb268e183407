#!/usr/bin/env node
// Creates an Azure private endpoint to a private link service, the customer's side of an Atlas
// (or privlink) Azure private endpoint, with the official Azure SDK for JavaScript. It prints the
// two values Atlas asks for when you register the endpoint:
//   {"id": "<private endpoint resource id>", "privateEndpointIPAddress": "<its IP>"}
//
// Usage:
//   node create-private-endpoint.mjs --private-link-service-id <id> --location <region> \
//     [--resource-group rg-app] [--vnet vnet-app] [--name pe-atlas]
//
// Credentials come from the environment, as the Azure SDK documents for a service principal:
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID. Against privlink's
// local cloud, also set AZURE_AUTHORITY_HOST and AZURE_RESOURCE_MANAGER_ENDPOINT to its URL and
// NODE_EXTRA_CA_CERTS to its CA (<data-dir>/ca.pem); against Azure leave those three unset.
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ClientSecretCredential } from '@azure/identity';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    'private-link-service-id': { type: 'string' },
    location: { type: 'string' },
    'resource-group': { type: 'string', default: 'rg-app' },
    vnet: { type: 'string', default: 'vnet-app' },
    name: { type: 'string', default: 'pe-atlas' },
  },
});
if (!args['private-link-service-id'] || !args.location) {
  console.error('usage: create-private-endpoint.mjs --private-link-service-id <id> --location <region> [--resource-group rg] [--vnet vnet] [--name pe]');
  process.exit(2);
}
const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
};

const subscriptionId = env('AZURE_SUBSCRIPTION_ID');
const endpoint = process.env.AZURE_RESOURCE_MANAGER_ENDPOINT; // unset: Azure's own
// The identity library reads AZURE_AUTHORITY_HOST itself. Instance discovery asks
// login.microsoftonline.com about the authority; a private authority host has to skip it.
const credential = new ClientSecretCredential(env('AZURE_TENANT_ID'), env('AZURE_CLIENT_ID'), env('AZURE_CLIENT_SECRET'), {
  disableInstanceDiscovery: Boolean(process.env.AZURE_AUTHORITY_HOST),
});
const options = endpoint ? { endpoint, credentialScopes: ['https://management.azure.com/.default'] } : {};
const resources = new ResourceManagementClient(credential, subscriptionId, options);
const network = new NetworkManagementClient(credential, subscriptionId, options);
const wait = { updateIntervalInMs: Number(process.env.AZURE_POLL_INTERVAL_MS ?? 2000) };

const group = args['resource-group'];
const location = args.location;
await resources.resourceGroups.createOrUpdate(group, { location });
const vnet = await network.virtualNetworks.beginCreateOrUpdateAndWait(
  group,
  args.vnet,
  {
    location,
    addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
    subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24', privateEndpointNetworkPolicies: 'Disabled' }],
  },
  wait,
);
const subnet = vnet.subnets.find((s) => s.name === 'default');
const privateEndpoint = await network.privateEndpoints.beginCreateOrUpdateAndWait(
  group,
  args.name,
  {
    location,
    subnet: { id: subnet.id },
    manualPrivateLinkServiceConnections: [{ name: args.name, privateLinkServiceId: args['private-link-service-id'], requestMessage: 'Please approve my connection.' }],
  },
  wait,
);
// The endpoint's IP is on its network interface.
const nicId = privateEndpoint.networkInterfaces[0].id;
const nic = await network.networkInterfaces.get(group, nicId.split('/').pop());
const ip = nic.ipConfigurations[0].privateIPAddress;
console.log(JSON.stringify({ id: privateEndpoint.id, privateEndpointIPAddress: ip }));
