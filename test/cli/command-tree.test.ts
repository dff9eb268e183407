import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Command } from 'commander';
import { SPECS } from '../../src/cli/framework/build-command.js';
import type { CliIo } from '../../src/cli/framework/cli-io.js';
import { isGroup } from '../../src/cli/framework/command-spec.js';
import { formatHelp } from '../../src/cli/framework/help-format.js';
import { buildProgram } from '../../src/cli/program.js';
import { assertGolden, runInProcess, tempHome } from './support/cli-runner.js';

const PROJECT = '0123456789abcdef01234567';
const SERVICE = '6a793f68c0eb9e7a17715835';

describe('command tree: commands, aliases, help', () => {
  let home: string;
  let cleanup: () => void;
  before(() => ({ home, cleanup } = tempHome()));
  after(() => cleanup());

  test('implements the Atlas tree and the administration commands', () => {
    const program = buildProgram(nullIo());
    const paths: string[] = [];
    const walk = (command: Command, path: string) => {
      for (const child of command.commands) {
        if ((child as Command & { _hidden?: boolean })._hidden) continue;
        const childPath = `${path} ${child.name()}`.trim();
        if (isGroup(SPECS.get(child)!)) walk(child, childPath);
        else paths.push(childPath);
      }
    };
    walk(program, '');
    for (const provider of ['aws', 'azure', 'gcp']) {
      for (const verb of ['create', 'list', 'describe', 'delete', 'watch', 'interfaces create', 'interfaces describe', 'interfaces delete']) {
        assert.ok(paths.includes(`privateEndpoints ${provider} ${verb}`), `privateEndpoints ${provider} ${verb}`);
      }
    }
    for (const provider of ['aws', 'azure']) {
      for (const verb of ['create', 'list', 'describe', 'update', 'delete', 'watch']) {
        assert.ok(paths.includes(`privateEndpoints serverless ${provider} ${verb}`), `privateEndpoints serverless ${provider} ${verb}`);
      }
    }
    assert.ok(!paths.some((path) => path.startsWith('privateEndpoints serverless gcp')), 'serverless instances take no GCP private endpoints');
    for (const path of [
      'privateEndpoints regionalModes describe',
      'privateEndpoints regionalModes enable',
      'privateEndpoints regionalModes disable',
      'serve',
      'reset',
      'admin reset-bootstrap-key',
      'projects create',
      'projects list',
      'projects describe',
      'projects delete',
      'projects apiKeys assign',
      'organizations apiKeys create',
      'organizations apiKeys list',
      'organizations apiKeys delete',
      'clusters create',
      'clusters list',
      'clusters describe',
      'clusters delete',
      'clusters watch',
      'serverless create',
      'serverless list',
      'serverless describe',
      'serverless delete',
      'serverless watch',
      'config init',
      'config set',
      'config list',
      'config describe',
      'config delete',
      'completion',
      'help',
      'localcloud aws describe-subnets',
      'localcloud aws describe-vpcs',
      'localcloud aws create-subnet',
      'localcloud aws create-vpc-endpoint',
      'localcloud aws describe-vpc-endpoints',
      'localcloud aws delete-vpc-endpoints',
      'localcloud aws describe-vpc-endpoint-services',
      'localcloud gcp credentials',
      'localcloud gcp networks create',
      'localcloud gcp addresses create',
      'localcloud gcp forwarding-rules create',
      'localcloud gcp forwarding-rules list',
      'localcloud gcp forwarding-rules delete',
      'localcloud gcp create-endpoints',
    ]) {
      assert.ok(paths.includes(path), path);
    }
  });

  const ALIASES: ReadonlyArray<readonly [string[], string]> = [
    [['privateendpoints', 'aws', 'list'], 'privlink privateEndpoints aws list'],
    [['private-endpoints', 'aws', 'ls'], 'privlink privateEndpoints aws list'],
    [['privateEndpoint', 'azure', 'get', 'x'], 'privlink privateEndpoints azure describe <privateEndpointId>'],
    [['privateendpoint', 'gcp', 'rm', 'x'], 'privlink privateEndpoints gcp delete <privateEndpointId>'],
    [['private-endpoint', 'aws', 'interface', 'add', 'x'], 'privlink privateEndpoints aws interfaces create <endpointServiceId>'],
    [['privateEndpoints', 'aws', 'interfaces', 'get', 'x'], 'privlink privateEndpoints aws interfaces describe <interfaceEndpointId>'],
    [['privateEndpoints', 'aws', 'interfaces', 'rm', 'x'], 'privlink privateEndpoints aws interfaces delete <interfaceEndpointId>'],
    [['privateEndpoints', 'regionalmodes', 'get'], 'privlink privateEndpoints regionalModes describe'],
    [['privateEndpoints', 'regional-modes', 'enable'], 'privlink privateEndpoints regionalModes enable'],
    [['privateEndpoints', 'regionalMode', 'disable'], 'privlink privateEndpoints regionalModes disable'],
    [['privateEndpoints', 'regionalmode', 'describe'], 'privlink privateEndpoints regionalModes describe'],
    [['privateEndpoints', 'regional-mode', 'describe'], 'privlink privateEndpoints regionalModes describe'],
    [['project', 'ls'], 'privlink projects list'],
    [['orgs', 'apikeys', 'ls'], 'privlink organizations apiKeys list'],
    [['organization', 'api-keys', 'rm', 'x'], 'privlink organizations apiKeys delete <ID>'],
    [['projects', 'apiKey', 'assign', 'x'], 'privlink projects apiKeys assign <ID>'],
    [['cluster', 'get', 'x'], 'privlink clusters describe <clusterName>'],
    [['config', 'ls'], 'privlink config list'],
    [['sl', 'ls'], 'privlink serverless list'],
    [['serverless', 'get', 'x'], 'privlink serverless describe <instanceName>'],
    [['serverless', 'rm', 'x'], 'privlink serverless delete <instanceName>'],
    [['private-endpoints', 'serverless', 'aws', 'ls', 'x'], 'privlink privateEndpoints serverless aws list <instanceName>'],
    [['privateEndpoint', 'serverless', 'azure', 'add', 'x'], 'privlink privateEndpoints serverless azure create <instanceName>'],
    [['privateEndpoints', 'serverless', 'aws', 'get', 'x'], 'privlink privateEndpoints serverless aws describe <endpointId>'],
    [['privateEndpoints', 'serverless', 'azure', 'rm', 'x'], 'privlink privateEndpoints serverless azure delete <endpointId>'],
  ];
  for (const [words, usage] of ALIASES) {
    test(`alias: privlink ${words.join(' ')} is ${usage}`, async () => {
      const result = await runInProcess([...words, '--help'], { home });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(`Usage:\n  ${usage} [options]\n`), result.stdout);
    });
  }

  test('help of every command matches the golden file (examples on every leaf)', () => {
    const program = buildProgram(nullIo());
    const parts: string[] = [];
    const walk = (command: Command) => {
      const spec = SPECS.get(command)!;
      if (!isGroup(spec)) assert.ok((spec.examples ?? []).length > 0, `${command.name()} has no example`);
      parts.push(`=== ${pathOf(command)} ===\n${formatHelp(command, spec)}`);
      for (const child of command.commands) if (!(child as Command & { _hidden?: boolean })._hidden) walk(child);
    };
    walk(program);
    assertGolden('help-all', parts.join('\n'));
  });

  test('--help, -h and help <command> print the same text on stdout', async () => {
    const a = await runInProcess(['privateEndpoints', 'aws', 'create', '--help'], { home });
    const b = await runInProcess(['privateEndpoints', 'aws', 'create', '-h'], { home });
    const c = await runInProcess(['help', 'privateEndpoints', 'aws', 'create'], { home });
    assert.equal(a.code, 0);
    assert.equal(a.stderr, '');
    assert.equal(a.stdout, b.stdout);
    assert.equal(a.stdout, c.stdout);
  });

  test('a group without subcommand prints its help and exits 0', async () => {
    const result = await runInProcess(['privateEndpoints', 'aws'], { home });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Manage AWS Private Endpoints\.\n\nUsage:\n {2}privlink privateEndpoints aws \[command\]\n/);
  });

  test('help exit-codes documents 0, 1, 2 and 4', async () => {
    const result = await runInProcess(['help', 'exit-codes'], { home });
    assert.equal(result.code, 0);
    assertGolden('help-exit-codes', result.stdout);
  });

  test('help environment documents the precedence table and PRIVLINK_FORCE_TTY', async () => {
    const result = await runInProcess(['help', 'environment'], { home });
    assert.equal(result.code, 0);
    assertGolden('help-environment', result.stdout);
  });

  test('privlink alone and privlink help print the root help', async () => {
    const bare = await runInProcess([], { home });
    const help = await runInProcess(['help'], { home });
    assert.equal(bare.code, 0);
    assert.equal(bare.stdout, help.stdout);
    assert.match(bare.stdout, /^privlink: self-hostable private endpoints/);
  });

  test('--version prints the package version', async () => {
    const result = await runInProcess(['--version'], { home });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^privlink version \d+\.\d+\.\d+\n$/);
  });
});

/** Flag and argument errors: cobra/Atlas wording, exit 1, nothing on stdout, no API call needed. */
const FLAG_ERRORS: ReadonlyArray<readonly [string[], string]> = [
  [['privateEndpoints', 'aws', 'create'], 'Error: required flag(s) "region" not set\n'],
  [['privateEndpoints', 'aws', 'create', '--region'], 'Error: flag needs an argument: --region\n'],
  [['privateEndpoints', 'aws', 'create', '--region', 'us-east-1', '--colour'], 'Error: unknown flag: --colour\n'],
  [['privateEndpoints', 'aws', 'create', '--region', 'us-east-1', '-x'], "Error: unknown shorthand flag: 'x' in -x\n"],
  [
    ['privateEndpoints', 'aws', 'create', '--region', 'us-east-1'],
    'Error: required flag(s) "projectId" not set\n\nNo profile \'default\' is configured. Run: privlink config init, or pass --projectId <id>, or set MONGODB_ATLAS_PROJECT_ID.\n',
  ],
  [['privateEndpoints', 'aws', 'create', '--region', 'us-east-1', '--projectId', 'nope'], "Error: the provided value 'nope' is not a valid Id\n"],
  [
    ['privateEndpoints', 'aws', 'create', 'extra', '--region', 'us-east-1'],
    'Error: "privlink privateEndpoints aws create" accepts no arguments\n\nUsage:  privlink privateEndpoints aws create [options]\n',
  ],
  [
    ['privateEndpoints', 'aws', 'describe'],
    'Error: "privlink privateEndpoints aws describe" requires 1 argument, received 0\n\nUsage:  privlink privateEndpoints aws describe <privateEndpointId> [options]\n',
  ],
  [
    ['privateEndpoints', 'aws', 'describe', 'a', 'b'],
    'Error: "privlink privateEndpoints aws describe" requires 1 argument, received 2\n\nUsage:  privlink privateEndpoints aws describe <privateEndpointId> [options]\n',
  ],
  [['privateEndpoints', 'aws', 'describe', 'not-an-id'], "Error: the provided value 'not-an-id' is not a valid Id\n"],
  [['privateEndpoints', 'aws', 'interfaces', 'create', SERVICE], 'Error: required flag(s) "privateEndpointId" not set\n'],
  [['privateEndpoints', 'aws', 'interfaces', 'describe', 'vpce-0123456789abcdef0'], 'Error: required flag(s) "endpointServiceId" not set\n'],
  [['privateEndpoints', 'azure', 'interfaces', 'create', SERVICE], 'Error: required flag(s) "privateEndpointId", "privateEndpointIpAddress" not set\n'],
  [['privateEndpoints', 'gcp', 'interfaces', 'create', 'group-1'], 'Error: required flag(s) "endpointServiceId", "gcpProjectId" not set\n'],
  [
    ['privateEndpoints', 'gcp', 'interfaces', 'create', 'group-1', '--endpointServiceId', SERVICE, '--gcpProjectId', 'p', '--endpoint', 'bad', '--projectId', PROJECT],
    "Error: invalid endpoint 'bad'. Required format is: <endpointName>@<ipAddress>, eg: foo@127.0.0.1\n",
  ],
  [
    ['privateEndpoints', 'aws', 'list', '--projectId', PROJECT, '-o', 'xml'],
    'Error: invalid argument "xml" for "-o, --output" flag: valid values are plaintext, json, json-path=<expr>, go-template=<template>, go-template-file=<path>\n',
  ],
  [
    ['privateEndpoints', 'aws', 'list', '--projectId', PROJECT, '-o', 'go-template={{printf "%s" .id}}'],
    'Error: invalid argument "go-template={{printf "%s" .id}}" for "-o, --output" flag: unsupported action {{printf "%s" .id}}: only {{.Field}}, {{range .Field}}, {{if .Field}}, {{else}}, {{end}} are supported\n',
  ],
  [
    ['privateEndpoints', 'aws', 'list', '--projectId', PROJECT, '-o', 'json-path=status'],
    'Error: invalid argument "json-path=status" for "-o, --output" flag: jsonpath must start with $: status\n',
  ],
  [['privateEndpoints', 'aws', 'list', '--projectId', PROJECT, '-o', 'json-path='], 'Error: invalid argument "json-path=" for "-o, --output" flag: empty jsonpath\n'],
  [
    ['privateEndpoints', 'aws', 'watch', SERVICE, '--projectId', PROJECT, '--interval', 'soon'],
    'Error: invalid argument "soon" for "--interval" flag: not a duration (4s, 500ms)\n',
  ],
  [
    ['privateEndpoints', 'awz'],
    'Error: unknown command "awz" for "privlink privateEndpoints"\n\nDid you mean this?\n\taws\n\nRun \'privlink privateEndpoints --help\' for usage.\n',
  ],
  [['frobnicate'], 'Error: unknown command "frobnicate" for "privlink"\nRun \'privlink --help\' for usage.\n'],
  [['privateEndpont', 'aws', 'list'], 'Error: unknown command "privateEndpont" for "privlink"\n\nDid you mean this?\n\tprivateEndpoints\n\nRun \'privlink --help\' for usage.\n'],
  [['p'], 'Error: unknown command "p" for "privlink"\n\nDid you mean this?\n\tprivateEndpoints\n\tprojects\n\nRun \'privlink --help\' for usage.\n'],
  [
    ['clusters', 'lst', '--projectId', PROJECT],
    'Error: unknown command "lst" for "privlink clusters"\n\nDid you mean this?\n\tlist\n\nRun \'privlink clusters --help\' for usage.\n',
  ],
  [['frobnicate', '-o', 'json'], 'Error: unknown command "frobnicate" for "privlink"\nRun \'privlink --help\' for usage.\n'],
  [['-P', 'default', 'confg', '-o', 'json'], 'Error: unknown command "confg" for "privlink"\n\nDid you mean this?\n\tconfig\n\nRun \'privlink --help\' for usage.\n'],
  [
    ['privateEndpoints', 'aws', 'lsit', '-o', 'json'],
    'Error: unknown command "lsit" for "privlink privateEndpoints aws"\n\nDid you mean this?\n\tlist\n\nRun \'privlink privateEndpoints aws --help\' for usage.\n',
  ],
  [['privateEndpoints', '-o', 'json'], "Error: unknown shorthand flag: 'o' in -o\n"],
  [['completion', 'tcsh'], 'Error: invalid shell "tcsh": valid values are bash, zsh, fish\n'],
  [['help', 'nothing'], 'Error: unknown help topic "nothing": try privlink help, privlink help exit-codes or privlink help environment\n'],
  [['serverless', 'create', 'sl0'], 'Error: required flag(s) "provider", "region" not set\n'],
  [
    ['serverless', 'create', 'sl0', '--provider', 'IBM', '--region', 'US_EAST_1', '--projectId', PROJECT],
    'Error: invalid argument "IBM" for "--provider" flag: valid values are AWS, AZURE, GCP\n',
  ],
  [
    ['serverless', 'create', 'sl0', '--provider', 'AWS', '--region', 'US_EAST_1', '--tag', 'env', '--projectId', PROJECT],
    'Error: invalid argument "env" for "--tag" flag: env must be formatted as key=value\n',
  ],
  [['serverless', 'watch'], 'Error: "privlink serverless watch" requires 1 argument, received 0\n\nUsage:  privlink serverless watch <instanceName> [options]\n'],
  [['privateEndpoints', 'serverless', 'aws', 'describe', SERVICE], 'Error: required flag(s) "instanceName" not set\n'],
  [['privateEndpoints', 'serverless', 'aws', 'describe', 'not-an-id', '--instanceName', 'sl0'], "Error: the provided value 'not-an-id' is not a valid Id\n"],
  [['privateEndpoints', 'serverless', 'aws', 'update', SERVICE, '--instanceName', 'sl0'], 'Error: required flag(s) "privateEndpointId" not set\n'],
  [['privateEndpoints', 'serverless', 'azure', 'update', SERVICE, '--instanceName', 'sl0'], 'Error: required flag(s) "privateEndpointId", "privateEndpointIpAddress" not set\n'],
  [
    ['privateEndpoints', 'serverless', 'aws', 'list'],
    'Error: "privlink privateEndpoints serverless aws list" requires 1 argument, received 0\n\nUsage:  privlink privateEndpoints serverless aws list <instanceName> [options]\n',
  ],
  [
    ['privateEndpoints', 'serverless', 'gcp'],
    'Error: unknown command "gcp" for "privlink privateEndpoints serverless"\nRun \'privlink privateEndpoints serverless --help\' for usage.\n',
  ],
  [
    ['privateEndpoints', 'serverless', 'aws', 'watch', SERVICE, '--instanceName', 'sl0', '--projectId', PROJECT, '--interval', 'soon'],
    'Error: invalid argument "soon" for "--interval" flag: not a duration (4s, 500ms)\n',
  ],
  [
    ['clusters', 'create', 'c0', '--provider', 'AWS', '--region', 'US_EAST_1', '--members', 'three'],
    'Error: invalid argument "three" for "--members" flag: not a positive integer\n',
  ],
];

describe('flag and argument errors (exit 1, cobra wording, stdout empty)', () => {
  let home: string;
  let cleanup: () => void;
  before(() => ({ home, cleanup } = tempHome()));
  after(() => cleanup());

  for (const [argv, expected] of FLAG_ERRORS) {
    test(`privlink ${argv.join(' ')}`, async () => {
      const result = await runInProcess(argv, { home, env: { PRIVLINK_PUBLIC_API_KEY: 'abcdefgh', PRIVLINK_PRIVATE_API_KEY: 'k' } });
      assert.equal(result.stderr, expected);
      assert.equal(result.stdout, '');
      assert.equal(result.code, 1);
    });
  }

  test('no API key configured: exit 4 with the way to configure one', async () => {
    const result = await runInProcess(['privateEndpoints', 'aws', 'list', '--projectId', PROJECT], { home });
    assert.equal(result.code, 4);
    assert.equal(result.stderr, 'Error: this action requires authentication\n\nTo set credentials using API keys, run: privlink config init\n');
  });

  test('a profile without project_id or org_id says which key to set, and how else to give it', async () => {
    const own = tempHome();
    try {
      assert.equal((await runInProcess(['config', 'set', 'output', 'json', '-P', 'staging'], { home: own.home })).code, 0);
      const project = await runInProcess(['privateEndpoints', 'aws', 'list', '-P', 'staging'], { home: own.home });
      assert.equal(project.code, 1);
      assert.equal(
        project.stderr,
        'Error: required flag(s) "projectId" not set\n\nProfile \'staging\' has no project_id. Run: privlink config set project_id <id> -P staging, or pass --projectId <id>, or set MONGODB_ATLAS_PROJECT_ID.\n',
      );
      const org = await runInProcess(['organizations', 'apiKeys', 'list'], { home: own.home });
      assert.equal(
        org.stderr,
        'Error: required flag(s) "orgId" not set\n\nNo profile \'default\' is configured. Run: privlink config init, or pass --orgId <id>, or set MONGODB_ATLAS_ORG_ID.\n',
      );
    } finally {
      own.cleanup();
    }
  });

  test('-P naming a profile that does not exist is an error', async () => {
    const result = await runInProcess(['privateEndpoints', 'aws', 'list', '--projectId', PROJECT, '-P', 'ghost'], { home });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error: profile 'ghost' does not exist in .*config\.toml; create it with: privlink config init -P ghost\n$/);
  });

  test('delete without a terminal and without --force refuses before calling the API', async () => {
    const result = await runInProcess(['privateEndpoints', 'aws', 'delete', SERVICE, '--projectId', PROJECT], {
      home,
      env: { PRIVLINK_PUBLIC_API_KEY: 'abcdefgh', PRIVLINK_PRIVATE_API_KEY: 'k', PRIVLINK_BASE_URL: 'http://127.0.0.1:1/' },
    });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `Error: not a terminal, so no confirmation can be asked for deleting '${SERVICE}'; use --force to delete without asking\n`);
  });

  test('delete declined on a terminal exits 2 with the Atlas notice, before calling the API', async () => {
    const result = await runInProcess(['privateEndpoints', 'aws', 'delete', SERVICE, '--projectId', PROJECT], {
      home,
      tty: true,
      input: 'n\n',
      env: { PRIVLINK_PUBLIC_API_KEY: 'abcdefgh', PRIVLINK_PRIVATE_API_KEY: 'k', PRIVLINK_BASE_URL: 'http://127.0.0.1:1/' },
    });
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `? Are you sure you want to delete: ${SERVICE} (y/N) n\nPrivate endpoint not deleted\n`);
    assert.equal(result.stdout, '');
  });

  test('delete on a terminal whose input ends is cancelled (exit 2)', async () => {
    const result = await runInProcess(['privateEndpoints', 'aws', 'delete', SERVICE, '--projectId', PROJECT], {
      home,
      tty: true,
      input: '',
      env: { PRIVLINK_PUBLIC_API_KEY: 'abcdefgh', PRIVLINK_PRIVATE_API_KEY: 'k', PRIVLINK_BASE_URL: 'http://127.0.0.1:1/' },
    });
    assert.equal(result.code, 2);
  });
});

function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function nullIo(): CliIo {
  return {
    env: {},
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: process.stdin,
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    stdinIsTerminal: false,
    color: false,
    onInterrupt: () => () => undefined,
    exit: () => {
      throw new Error('exit');
    },
  };
}
