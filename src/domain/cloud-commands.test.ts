import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAzurePrivateEndpointCommand, createGcpEndpointsScript, createVpcEndpointCommand, parseForwardingRules } from './cloud-commands.js';

const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

describe('createVpcEndpointCommand', () => {
  test('names the VPC, the region, the service and the subnets, however they were separated', () => {
    assert.equal(
      createVpcEndpointCommand('us-east-1', SERVICE, 'vpc-1', ' subnet-a, subnet-b\nsubnet-c '),
      `aws ec2 create-vpc-endpoint --vpc-id vpc-1 --region us-east-1 --service-name ${SERVICE} --vpc-endpoint-type Interface --subnet-ids subnet-a subnet-b subnet-c`,
    );
  });

  test('shows placeholders for what is not known yet', () => {
    assert.equal(
      createVpcEndpointCommand('eu-west-1', null, '', ' , '),
      'aws ec2 create-vpc-endpoint --vpc-id <your VPC ID> --region eu-west-1 --service-name <creating…> --vpc-endpoint-type Interface --subnet-ids <your subnet IDs>',
    );
  });
});

describe('createAzurePrivateEndpointCommand', () => {
  const network = { resourceGroup: 'rg1', vnet: 'vnet1', subnet: 'default', endpointName: 'pe1' };
  const pls = '/subscriptions/s/resourceGroups/atlas/providers/Microsoft.Network/privateLinkServices/pls_abc';

  test('creates the private endpoint to the private link service, then shows its id and IP address', () => {
    const [create, show, ...rest] = createAzurePrivateEndpointCommand(network, pls, 'pls_abc').split('\n');
    assert.equal(
      create,
      `az network private-endpoint create --resource-group rg1 --name pe1 --vnet-name vnet1 --subnet default --private-connection-resource-id ${pls} --connection-name pls_abc --manual-request true`,
    );
    assert.equal(show, 'az network private-endpoint show --resource-group rg1 --name pe1 --query "{id: id, privateEndpointIPAddress: customDnsConfigs[0].ipAddresses[0]}"');
    assert.deepEqual(rest, []);
  });

  test('shows placeholders for the empty fields and the service Atlas is still creating', () => {
    const script = createAzurePrivateEndpointCommand({ resourceGroup: '', vnet: '', subnet: '', endpointName: '' }, null, null);
    for (const placeholder of ['<your resource group>', '<your endpoint name>', '<your VNet name>', '<your subnet name>']) assert.ok(script.includes(placeholder), placeholder);
    assert.match(script, /--private-connection-resource-id <creating…> --connection-name <creating…>/);
  });
});

describe('createGcpEndpointsScript', () => {
  const network = { projectId: 'my-project', vpc: 'my-vpc', subnet: 'my-subnet', prefix: 'atlas' };

  test('reserves an address and creates a forwarding rule per service attachment, then lists the rules', () => {
    const attachments = ['projects/p/regions/us-east4/serviceAttachments/sa-0', 'projects/p/regions/us-east4/serviceAttachments/sa-1'];
    assert.deepEqual(createGcpEndpointsScript(network, 'us-east4', attachments).split('\n'), [
      'gcloud config set project my-project',
      'gcloud compute addresses create atlas-ip-0 --region=us-east4 --subnet=my-subnet',
      'gcloud compute addresses create atlas-ip-1 --region=us-east4 --subnet=my-subnet',
      `gcloud compute forwarding-rules create atlas-0 --region=us-east4 --network=my-vpc --address=atlas-ip-0 --target-service-attachment=${attachments[0]}`,
      `gcloud compute forwarding-rules create atlas-1 --region=us-east4 --network=my-vpc --address=atlas-ip-1 --target-service-attachment=${attachments[1]}`,
      'gcloud compute forwarding-rules list --regions=us-east4 --filter="name~^atlas-" --format="table(name,IPAddress)"',
    ]);
  });

  test('before Atlas has made the attachments: one placeholder rule, and placeholders for the empty fields', () => {
    const lines = createGcpEndpointsScript({ projectId: '', vpc: '', subnet: '', prefix: '' }, 'us-east4', []).split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[0], 'gcloud config set project <your Google Cloud project ID>');
    assert.equal(lines[1], 'gcloud compute addresses create <your endpoint prefix>-ip-0 --region=us-east4 --subnet=<your subnet name>');
    assert.match(lines[2]!, /--network=<your VPC name> .*--target-service-attachment=<creating…>$/);
  });
});

describe('parseForwardingRules', () => {
  test('reads the table gcloud prints, skipping its header', () => {
    const table = 'NAME      IP_ADDRESS\natlas-0   10.128.0.10\natlas-1   10.128.0.11\n';
    assert.deepEqual(parseForwardingRules(table), {
      rules: [
        { endpointName: 'atlas-0', ipAddress: '10.128.0.10' },
        { endpointName: 'atlas-1', ipAddress: '10.128.0.11' },
      ],
      problems: [],
    });
  });

  test('reads the JSON gcloud prints (name, IPAddress) and the API shape (endpointName, ipAddress)', () => {
    const json = JSON.stringify([
      { IPAddress: '10.128.0.10', name: 'atlas-0', region: 'us-east4' },
      { endpointName: 'atlas-1', ipAddress: '10.128.0.11' },
    ]);
    assert.deepEqual(parseForwardingRules(json), {
      rules: [
        { endpointName: 'atlas-0', ipAddress: '10.128.0.10' },
        { endpointName: 'atlas-1', ipAddress: '10.128.0.11' },
      ],
      problems: [],
    });
  });

  test('reads lines of "name ip", with commas, tabs or Windows line ends', () => {
    assert.deepEqual(parseForwardingRules('atlas-0, 10.0.0.1\r\natlas-1\t10.0.0.2\r\n\r\n').rules, [
      { endpointName: 'atlas-0', ipAddress: '10.0.0.1' },
      { endpointName: 'atlas-1', ipAddress: '10.0.0.2' },
    ]);
  });

  test('nothing pasted: no rules, no problems', () => {
    assert.deepEqual(parseForwardingRules('  \n '), { rules: [], problems: [] });
  });

  test('a line without a valid IPv4 address is a problem naming the line, and is left out', () => {
    const result = parseForwardingRules('atlas-0 10.0.0.1\natlas-1\natlas-2 300.0.0.1\natlas-3 10.0.0');
    assert.deepEqual(result.rules, [{ endpointName: 'atlas-0', ipAddress: '10.0.0.1' }]);
    assert.deepEqual(result.problems, ['Line 2 has no IP address: atlas-1', 'Line 3 has no IP address: atlas-2 300.0.0.1', 'Line 4 has no IP address: atlas-3 10.0.0']);
  });

  test('JSON that cannot be parsed is one problem', () => {
    assert.deepEqual(parseForwardingRules('[{"name": "atlas-0",'), { rules: [], problems: ['The JSON could not be read.'] });
  });

  test('JSON items without a name or a valid IP address are problems, and are left out', () => {
    const result = parseForwardingRules(
      JSON.stringify([{ name: 'atlas-0', IPAddress: '10.0.0.1' }, { name: 'atlas-1' }, { name: '', IPAddress: '10.0.0.2' }, null, 7, { name: 'x', IPAddress: '10.0.0.256' }]),
    );
    assert.deepEqual(result.rules, [{ endpointName: 'atlas-0', ipAddress: '10.0.0.1' }]);
    assert.deepEqual(result.problems, [
      'Item 2 has no name or IP address: {"name":"atlas-1"}',
      'Item 3 has no name or IP address: {"name":"","IPAddress":"10.0.0.2"}',
      'Item 4 has no name or IP address: null',
      'Item 5 has no name or IP address: 7',
      'Item 6 has no name or IP address: {"name":"x","IPAddress":"10.0.0.256"}',
    ]);
  });
});
