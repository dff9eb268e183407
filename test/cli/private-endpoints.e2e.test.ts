import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertGolden } from './support/cli-runner.js';
import { CliSession, eventually, withoutProgress } from './support/cli-session.js';

/**
 * `privlink privateEndpoints …` against a running server (the built CLI as a subprocess), every
 * command in pipe mode and in terminal mode (PRIVLINK_FORCE_TTY=1), compared with golden
 * transcripts. The customer side uses `privlink localcloud aws`.
 */
describe('privateEndpoints commands against a running server', { concurrency: false }, () => {
  let s: CliSession;
  let service1 = '';
  let service2 = '';
  let vpce1 = '';
  let vpce2 = '';
  const created = /^Private endpoint '([0-9a-f]{24})' created\.\n$/;

  before(async () => {
    s = await CliSession.start();
  });
  after(async () => {
    await s?.destroy();
  });

  test('endpoint services: create, watch, list, describe in pipe and terminal mode, and every -o format', async () => {
    const parts: string[] = [];
    const createPipe = ['privateEndpoints', 'aws', 'create', '--region', 'us-east-1'];
    const r1 = await s.ok(createPipe);
    service1 = created.exec(r1.stdout)?.[1] ?? assert.fail(r1.stdout);
    s.name(service1, '<SERVICE_1>');
    parts.push(s.transcript(createPipe, r1));

    const createTty = ['privateEndpoints', 'aws', 'create', '--region', 'eu-west-1'];
    const r2 = await s.ok(createTty, { tty: true });
    service2 = created.exec(r2.stdout)?.[1] ?? assert.fail(r2.stdout);
    s.name(service2, '<SERVICE_2>');
    parts.push(s.transcript(createTty, r2, { tty: true }));

    for (const [id, tty] of [
      [service1, false],
      [service2, true],
    ] as const) {
      const args = ['privateEndpoints', 'aws', 'watch', id, '--interval', '250ms'];
      const watched = await s.ok(args, { tty });
      // Progress is timing-dependent (dots / spinner frames): checked for shape, then removed.
      assert.match(watched.stderr, tty ? /^([|/\\-](\u0008[|/\\-])*\u0008 \u0008)?$/ : /^\.*$/);
      parts.push(s.transcript(args, watched, { tty, stderr: withoutProgress }));
    }

    for (const id of [service1, service2]) {
      const name = (await s.ok(['privateEndpoints', 'aws', 'describe', id, '-o', 'go-template={{.endpointServiceName}}'])).stdout;
      assert.match(name, /^com\.amazonaws\.vpce\.(us-east-1|eu-west-1)\.vpce-svc-[0-9a-f]{17}$/);
      s.name(name, id === service1 ? '<SERVICE_NAME_1>' : '<SERVICE_NAME_2>');
    }

    const reads: Array<[string[], boolean]> = [
      [['privateEndpoints', 'aws', 'list'], false],
      [['privateEndpoints', 'aws', 'list'], true],
      [['privateEndpoints', 'aws', 'ls', '-o', 'json'], false],
      [['privateEndpoints', 'aws', 'describe', service1], false],
      [['privateEndpoints', 'aws', 'describe', service1], true],
      [['privateEndpoints', 'aws', 'get', service1, '--output', 'json'], false],
      [['privateEndpoints', 'aws', 'describe', service1, '-o', 'json-path=$.status'], false],
      [['privateEndpoints', 'aws', 'list', '-o', 'json-path=$[*].regionName'], false],
      [['privateEndpoints', 'aws', 'list', '-o', 'go-template={{range .}}{{.id}} {{.regionName}}{{if .errorMessage}} {{.errorMessage}}{{end}}\n{{end}}'], false],
      [['privateEndpoints', 'aws', 'describe', service1, '-o', 'go-template=ID\t{{.Id}}\nSTATUS\t{{.Status}}\n'], true],
    ];
    for (const [args, tty] of reads) parts.push(s.transcript(args, await s.ok(args, { tty }), { tty }));
    assertGolden('e2e-aws-endpoint-services', parts.join('\n'));
  });

  test('the profile output key and MONGODB_ATLAS_OUTPUT choose JSON without -o', async () => {
    const viaEnv = await s.ok(['privateEndpoints', 'aws', 'describe', service1], { env: { MONGODB_ATLAS_OUTPUT: 'json' } });
    assert.equal(JSON.parse(viaEnv.stdout).id, service1);
    const flagWins = await s.ok(['privateEndpoints', 'aws', 'describe', service1, '-o', 'plaintext'], { env: { MONGODB_ATLAS_OUTPUT: 'json' } });
    assert.match(flagWins.stdout, /^ID\tENDPOINT SERVICE\tSTATUS\tERROR\n/);
  });

  test('-o json prints the API body unchanged: every field, nulls included, in the server order', async () => {
    const raw = await s.ok(['privateEndpoints', 'aws', 'describe', service1, '-o', 'json']);
    const body = JSON.parse(raw.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['cloudProvider', 'endpointServiceName', 'errorMessage', 'id', 'interfaceEndpoints', 'regionName', 'status', 'supportedRemoteRegions']);
    assert.equal(body.errorMessage, null);
    assert.equal(body.supportedRemoteRegions, null);
  });

  test('interface endpoints: customer side with localcloud aws, then create and describe in both modes', async () => {
    const parts: string[] = [];
    const vpcs = JSON.parse((await s.ok(['localcloud', 'aws', 'describe-vpcs', '-o', 'json'])).stdout) as { Vpcs: Array<{ VpcId: string; IsDefault: boolean }> };
    const vpc = vpcs.Vpcs.find((v) => v.IsDefault)!.VpcId;
    s.name(vpc, '<VPC_US_EAST_1>');
    const subnets = JSON.parse((await s.ok(['localcloud', 'aws', 'describe-subnets', '--vpc-id', vpc, '-o', 'json'])).stdout) as {
      Subnets: Array<{ SubnetId: string; AvailabilityZone: string }>;
    };
    for (const subnet of subnets.Subnets) s.name(subnet.SubnetId, `<SUBNET_${subnet.AvailabilityZone}>`);
    for (const tty of [false, true]) {
      parts.push(s.transcript(['localcloud', 'aws', 'describe-vpcs'], await s.ok(['localcloud', 'aws', 'describe-vpcs'], { tty }), { tty }));
      parts.push(
        s.transcript(['localcloud', 'aws', 'describe-subnets', '--vpc-id', vpc], await s.ok(['localcloud', 'aws', 'describe-subnets', '--vpc-id', vpc], { tty }), { tty }),
      );
    }
    const serviceName = Object.entries(s.placeholders).find(([, p]) => p.startsWith('<SERVICE_NAME_1'))![0];
    const servicesArgs = ['localcloud', 'aws', 'describe-vpc-endpoint-services', '--service-names', serviceName];
    const services = await s.ok(servicesArgs);
    parts.push(s.transcript(servicesArgs, services));
    parts.push(s.transcript(servicesArgs, await s.ok(servicesArgs, { tty: true }), { tty: true }));
    const zones = services.stdout.split('\n')[1]!.split('\t')[2]!.split(',');
    const subnet = subnets.Subnets.find((x) => zones.includes(x.AvailabilityZone))!.SubnetId;

    const vpceArgs = ['localcloud', 'aws', 'create-vpc-endpoint', '--vpc-id', vpc, '--service-name', serviceName, '--subnet-ids', subnet];
    const vpceResult = await s.ok(vpceArgs);
    vpce1 = vpceResult.stdout.trim();
    assert.match(vpce1, /^vpce-[0-9a-f]{17}$/);
    s.name(vpce1, '<VPCE_1>');
    parts.push(s.transcript(vpceArgs, vpceResult));

    const createArgs = ['privateEndpoints', 'aws', 'interfaces', 'create', service1, '--privateEndpointId', vpce1];
    parts.push(s.transcript(createArgs, await s.ok(createArgs)));
    await eventually(
      async () => {
        const status = (await s.ok(['privateEndpoints', 'aws', 'interfaces', 'describe', vpce1, '--endpointServiceId', service1, '-o', 'go-template={{.connectionStatus}}']))
          .stdout;
        return status === 'AVAILABLE' ? status : undefined;
      },
      60_000,
      'interface endpoint AVAILABLE',
    );

    // Second service (eu-west-1): the interface is created in terminal mode.
    const euVpc = (JSON.parse((await s.ok(['localcloud', 'aws', 'describe-vpcs', '--region', 'eu-west-1', '-o', 'json'])).stdout) as { Vpcs: Array<{ VpcId: string }> }).Vpcs[0]!
      .VpcId;
    s.name(euVpc, '<VPC_EU_WEST_1>');
    const serviceName2 = Object.entries(s.placeholders).find(([, p]) => p.startsWith('<SERVICE_NAME_2'))![0];
    const zones2 = JSON.parse((await s.ok(['localcloud', 'aws', 'describe-vpc-endpoint-services', '--region', 'eu-west-1', '--service-names', serviceName2, '-o', 'json'])).stdout)
      .ServiceDetails[0].AvailabilityZones as string[];
    const euSubnets = JSON.parse((await s.ok(['localcloud', 'aws', 'describe-subnets', '--region', 'eu-west-1', '--vpc-id', euVpc, '-o', 'json'])).stdout) as {
      Subnets: Array<{ SubnetId: string; AvailabilityZone: string }>;
    };
    for (const x of euSubnets.Subnets) s.name(x.SubnetId, `<SUBNET_${x.AvailabilityZone}>`);
    const euSubnet = euSubnets.Subnets.find((x) => zones2.includes(x.AvailabilityZone))!.SubnetId;
    vpce2 = (
      await s.ok(['localcloud', 'aws', 'create-vpc-endpoint', '--region', 'eu-west-1', '--vpc-id', euVpc, '--service-name', serviceName2, '--subnet-ids', euSubnet])
    ).stdout.trim();
    s.name(vpce2, '<VPCE_2>');
    const createTty = ['privateEndpoints', 'aws', 'interfaces', 'add', service2, '--privateEndpointId', vpce2];
    parts.push(s.transcript(createTty, await s.ok(createTty, { tty: true }), { tty: true }));
    await eventually(
      async () => {
        const status = (await s.ok(['privateEndpoints', 'aws', 'interfaces', 'describe', vpce2, '--endpointServiceId', service2, '-o', 'go-template={{.connectionStatus}}']))
          .stdout;
        return status === 'AVAILABLE' ? status : undefined;
      },
      60_000,
      'second interface endpoint AVAILABLE',
    );

    const reads: Array<[string[], boolean]> = [
      [['privateEndpoints', 'aws', 'interfaces', 'describe', vpce1, '--endpointServiceId', service1], false],
      [['privateEndpoints', 'aws', 'interfaces', 'describe', vpce1, '--endpointServiceId', service1], true],
      [['privateEndpoints', 'aws', 'interface', 'get', vpce1, '--endpointServiceId', service1, '-o', 'json'], false],
      [['privateEndpoints', 'aws', 'describe', service1, '-o', 'json-path=$.interfaceEndpoints'], false],
      [['localcloud', 'aws', 'describe-vpc-endpoints', '--vpc-endpoint-ids', vpce1], false],
      [['localcloud', 'aws', 'describe-vpc-endpoints', '--vpc-endpoint-ids', vpce1], true],
    ];
    for (const [args, tty] of reads) parts.push(s.transcript(args, await s.ok(args, { tty }), { tty }));
    assertGolden('e2e-aws-interfaces', parts.join('\n'));
  });

  test('deletes ask on a terminal, refuse in a pipe without --force, and delete with --force or "y"', async () => {
    const parts: string[] = [];
    const steps: Array<[string[], { tty?: boolean; input?: string }]> = [
      [['privateEndpoints', 'aws', 'interfaces', 'delete', vpce1, '--endpointServiceId', service1], {}],
      [['privateEndpoints', 'aws', 'interfaces', 'delete', vpce1, '--endpointServiceId', service1], { tty: true, input: 'n\n' }],
      [['privateEndpoints', 'aws', 'interfaces', 'rm', vpce1, '--endpointServiceId', service1, '--force'], {}],
      [['privateEndpoints', 'aws', 'interfaces', 'delete', vpce2, '--endpointServiceId', service2], { tty: true, input: 'y\n' }],
    ];
    for (const [args, options] of steps) parts.push(s.transcript(args, await s.run(args, options), options));
    // The service can go once its interface endpoints are gone.
    for (const [vpce, service] of [
      [vpce1, service1],
      [vpce2, service2],
    ] as const) {
      await eventually(
        async () => {
          const r = await s.run(['privateEndpoints', 'aws', 'interfaces', 'describe', vpce, '--endpointServiceId', service]);
          return r.code !== 0 ? true : undefined;
        },
        60_000,
        `interface ${vpce} gone`,
      );
    }
    const serviceSteps: Array<[string[], { tty?: boolean; input?: string }]> = [
      [['privateEndpoints', 'aws', 'delete', service1], {}],
      [['privateEndpoints', 'aws', 'delete', service1], { tty: true, input: 'no\n' }],
      [['privateEndpoints', 'aws', 'delete', service1, '--force'], {}],
      [['privateEndpoints', 'aws', 'rm', service2], { tty: true, input: 'y\n' }],
    ];
    for (const [args, options] of serviceSteps) parts.push(s.transcript(args, await s.run(args, options), options));
    assertGolden('e2e-aws-deletes', parts.join('\n'));
    for (const vpce of [vpce1, vpce2]) {
      const region = vpce === vpce1 ? 'us-east-1' : 'eu-west-1';
      await s.ok(['localcloud', 'aws', 'delete-vpc-endpoints', '--region', region, '--vpc-endpoint-ids', vpce]);
    }
    await eventually(
      async () => {
        const list = JSON.parse((await s.ok(['privateEndpoints', 'aws', 'list', '-o', 'json'])).stdout) as unknown[];
        return list.length === 0 ? true : undefined;
      },
      60_000,
      'endpoint services deleted',
    );
  });

  test('regionalModes describe, enable and disable in both modes', async () => {
    const parts: string[] = [];
    const steps: Array<[string[], boolean]> = [
      [['privateEndpoints', 'regionalModes', 'describe'], false],
      [['privateEndpoints', 'regionalModes', 'describe'], true],
      [['privateEndpoints', 'regionalModes', 'enable'], false],
      [['privateEndpoints', 'regional-modes', 'get', '-o', 'json'], false],
      [['privateEndpoints', 'regionalModes', 'disable'], true],
      [['privateEndpoints', 'regionalModes', 'enable'], true],
      [['privateEndpoints', 'regionalModes', 'disable'], false],
      [['privateEndpoints', 'regionalModes', 'enable', '-o', 'json'], true],
      [['privateEndpoints', 'regionalModes', 'disable', '-o', 'json'], false],
    ];
    for (const [args, tty] of steps) parts.push(s.transcript(args, await s.ok(args, { tty }), { tty }));
    assertGolden('e2e-regional-modes', parts.join('\n'));
  });

  test('Azure and GCP commands call the same API and print its answer or its error in the Atlas shape', async () => {
    const atlasError =
      /^Error: <API>\/api\/atlas\/v2\/groups\/<PROJECT-*>\/privateEndpoint\/\S+ (GET|POST|DELETE): HTTP \d{3} [A-Za-z ]+ \(Error code: "[A-Z_]+"\) Detail: .* Reason: [A-Za-z ]+\. Params: \[.*\]\n$/;
    const cases: Array<[string[], RegExp]> = [
      [['privateEndpoints', 'azure', 'create', '--region', 'eastus'], /^Private endpoint '[0-9a-f]{24}' created\.\n$/],
      [['privateEndpoints', 'gcp', 'create', '--region', 'CENTRAL_US', '--portMappingEnabled'], /^Private endpoint '[0-9a-f]{24}' created\.\n$/],
      [['privateEndpoints', 'azure', 'list'], /^ID\tENDPOINT SERVICE\tSTATUS\tERROR\n/],
      [['privateEndpoints', 'gcp', 'list'], /^ID\tREGION\tSTATUS\tERROR\n/],
      [['privateEndpoints', 'azure', 'describe', '0123456789abcdef01234567'], /^ID\tENDPOINT SERVICE/],
      [
        [
          'privateEndpoints',
          'azure',
          'interfaces',
          'describe',
          '/subscriptions/4e133d35-e734-4385-a565-c0945567ae34/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe',
          '--endpointServiceId',
          '0123456789abcdef01234567',
        ],
        /^ID\tIP ADDRESS/,
      ],
      [['privateEndpoints', 'gcp', 'interfaces', 'describe', 'group-1', '--endpointServiceId', '0123456789abcdef01234567'], /^ENDPOINT\tSTATUS/],
    ];
    for (const [args, success] of cases) {
      const result = await s.run(args);
      if (result.code === 0) assert.match(result.stdout, success, args.join(' '));
      else {
        assert.equal(result.code, 1, args.join(' '));
        assert.equal(result.stdout, '');
        assert.match(
          s
            .transcript([], result)
            .split('--- stderr\n')[1]!
            .replace(/--- end\n$/, ''),
          atlasError,
          args.join(' '),
        );
      }
    }
  });
});
