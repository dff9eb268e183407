import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFilters, parseTagSpecifications, QueryParams } from './query-params.js';

describe('QueryParams', () => {
  test('parses a form body, + and %20 as spaces, body over query string', () => {
    const params = QueryParams.parse('Action=DescribeVpcs&Name=a+b%20c&Version=2016-11-15', 'Action=Other&Extra=1');
    assert.equal(params.get('Action'), 'DescribeVpcs');
    assert.equal(params.get('Name'), 'a b c');
    assert.equal(params.get('Extra'), '1');
    assert.equal(params.get('Missing'), undefined);
  });

  test('reads EC2 flattened lists (SubnetId.N) in index order, sparse indexes included', () => {
    const params = QueryParams.parse('SubnetId.10=subnet-c&SubnetId.2=subnet-b&SubnetId.1=subnet-a&SubnetIdx.1=no');
    assert.deepEqual(params.list('SubnetId'), ['subnet-a', 'subnet-b', 'subnet-c']);
    assert.deepEqual(params.list('Nothing'), []);
  });

  test('structures read in one pass hold what each index scopes: sparse, nested, a scalar index, another spelling of an index', () => {
    const params = QueryParams.parse(
      'Filter.10.Name=c&Filter.2.Name=b&Filter.2.Value.1=x&Filter.2.Value.2=y&Filter.1.Name=a&Filter.3=scalar&Filter.01.Name=zero&Filters.1.Name=no',
    );
    const viaScope = [1, 2, 3, 10].map((n) => params.scope(`Filter.${n}`).toSortedObject());
    assert.deepEqual(
      params.structs('Filter').map((p) => p.toSortedObject()),
      viaScope,
    );
    assert.deepEqual(viaScope, [{ Name: 'a' }, { Name: 'b', 'Value.1': 'x', 'Value.2': 'y' }, {}, { Name: 'c' }]);
  });

  test('thousands of structures are read in time linear in the request (never its square)', () => {
    const body = Array.from({ length: 20_000 }, (_, i) => `Filter.${i + 1}.Name=f${i}&Filter.${i + 1}.Value.1=v`).join('&');
    const params = QueryParams.parse(body);
    const started = process.cpuUsage();
    const structs = params.structs('Filter');
    const used = process.cpuUsage(started);
    assert.equal(structs.length, 20_000);
    assert.equal(structs[19_999]!.get('Name'), 'f19999');
    // One pass over 40,000 parameters takes milliseconds; one scope per index (the earlier reading)
    // took 800 million key comparisons, tens of seconds.
    assert.ok(used.user + used.system < 2_000_000, `${(used.user + used.system) / 1000} ms of CPU`);
  });

  test('more than 200 filter values in all is FilterLimitExceeded, as EC2 answers; 200 is fine', () => {
    const values = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `Filter.${from + i + 1}.Name=tag:k&Filter.${from + i + 1}.Value.1=v${i}`).join('&');
    assert.equal(parseFilters(QueryParams.parse(values(200))).length, 200);
    assert.throws(
      () => parseFilters(QueryParams.parse(`${values(150)}&${values(51, 150)}`)),
      (error: Error & { code?: string }) => error.code === 'FilterLimitExceeded' && /single call is 200$/.test(error.message),
    );
    const one = Array.from({ length: 201 }, (_, i) => `Filter.1.Value.${i + 1}=v${i}`).join('&');
    assert.throws(() => parseFilters(QueryParams.parse(`Filter.1.Name=vpc-id&${one}`)), { code: 'FilterLimitExceeded' });
  });

  test('reads awsQuery member lists (Subnets.member.N) and member structures', () => {
    const params = QueryParams.parse('Subnets.member.2=subnet-2&Subnets.member.1=subnet-1&Targets.member.1.Id=10.0.0.1&Targets.member.1.Port=27017&Targets.member.2.Id=10.0.0.2');
    assert.deepEqual(params.members('Subnets'), ['subnet-1', 'subnet-2']);
    const targets = params.memberStructs('Targets');
    assert.deepEqual(
      targets.map((t) => [t.get('Id'), t.get('Port')]),
      [
        ['10.0.0.1', '27017'],
        ['10.0.0.2', undefined],
      ],
    );
  });

  test('reads Filter.N.Name with Filter.N.Value.M', () => {
    const params = QueryParams.parse('Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2&Filter.2.Name=tag%3AEnv&Filter.2.Value.1=prod&Filter.3.Value.1=nameless');
    assert.deepEqual(parseFilters(params), [
      { name: 'vpc-id', values: ['vpc-1', 'vpc-2'] },
      { name: 'tag:Env', values: ['prod'] },
    ]);
  });

  test('reads TagSpecification.N with its resource type and Tag.M', () => {
    const params = QueryParams.parse(
      'TagSpecification.1.ResourceType=vpc-endpoint&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=pl&TagSpecification.1.Tag.2.Key=empty',
    );
    assert.deepEqual(parseTagSpecifications(params), [
      {
        resourceType: 'vpc-endpoint',
        tags: [
          { key: 'Name', value: 'pl' },
          { key: 'empty', value: '' },
        ],
      },
    ]);
  });

  test('scopes nested structures and sorts for hashing', () => {
    const params = QueryParams.parse('DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=arn1&B=2&A=1');
    const action = params.memberStructs('DefaultActions')[0]!;
    assert.deepEqual(action.scope('ForwardConfig').memberStructs('TargetGroups')[0]!.get('TargetGroupArn'), 'arn1');
    assert.deepEqual(Object.keys(params.toSortedObject(['B'])), ['A', 'DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn']);
  });
});
