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
