import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcEndpointsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness } from './harness.js';

// What infrastructure tools do to a security group after making it (Terraform revokes the default
// egress rule of every group it makes, and deletes groups on destroy): revoke rules by their
// statement or id, delete the group once nothing uses it. The data plane's picture follows.
describe('revoking security group rules and deleting groups', () => {
  let h: Harness;
  let vpcId: string;
  before(async () => {
    h = await startHarness();
    vpcId = (await defaultNetwork(h, h.cloud.accounts.customer)).vpcId;
  });
  after(async () => h?.close());

  const ec2 = () => h.ec2(h.cloud.accounts.customer);
  const group = async (groupId: string) => (await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
  const newGroup = async (name: string) => (await ec2().send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
  const ingress = (cidr: string, from = 1024, to = 1074) => ({ IpProtocol: 'tcp', FromPort: from, ToPort: to, IpRanges: [{ CidrIp: cidr }] });

  test('the default egress rule is revoked by its statement; ingress rules by statement or by rule id; the picture follows', async () => {
    const groupId = await newGroup('revoked');
    await ec2().send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.deepEqual((await group(groupId)).IpPermissionsEgress, []);
    const authorized = await ec2().send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ingress('10.0.0.0/8'), ingress('172.31.0.0/16')] }));
    const [first, second] = authorized.SecurityGroupRules!;
    const listed = await ec2().send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
    assert.deepEqual(
      listed.SecurityGroupRules!.map((r) => [r.SecurityGroupRuleId, r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4]),
      [first, second].map((r) => [r!.SecurityGroupRuleId, false, 'tcp', 1024, 1074, r!.CidrIpv4]),
    );
    const byId = await ec2().send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [second!.SecurityGroupRuleId!] }));
    assert.deepEqual(
      byId.SecurityGroupRules!.map((r) => r.CidrIpv4),
      ['172.31.0.0/16'],
    );
    await rejectsWith(ec2().send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-0123456789abcdef0'] })), 'InvalidSecurityGroupRuleId.NotFound');
    // One known and one unknown: the known one goes, the unknown one is answered back.
    const partly = await ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ingress('10.0.0.0/8'), ingress('192.168.0.0/16')] }));
    assert.equal(partly.Return, true);
    assert.deepEqual(
      partly.UnknownIpPermissions?.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.[0]?.CidrIp]),
      [['tcp', 1024, 1074, '192.168.0.0/16']],
    );
    assert.deepEqual(
      (await group(groupId)).IpPermissions!.map((p) => p.IpRanges![0]!.CidrIp),
      ['172.31.0.0/16'],
    );
    let picture = (await h.cloud.snapshot()).securityGroups.find((g) => g.groupId === groupId)!;
    assert.deepEqual([picture.ingress.map((r) => r.cidrIpv4), picture.egress], [['172.31.0.0/16'], []]);
    await rejectsWith(ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [ingress('10.0.0.0/8')] })), 'InvalidPermission.NotFound', {
      message: 'The specified rule does not exist in this security group.',
    });
    await rejectsWith(
      ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [first!.SecurityGroupRuleId!] })),
      'InvalidSecurityGroupRuleId.NotFound',
    );
    await ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [second!.SecurityGroupRuleId!] }));
    assert.deepEqual((await group(groupId)).IpPermissions, []);
    picture = (await h.cloud.snapshot()).securityGroups.find((g) => g.groupId === groupId)!;
    assert.deepEqual(picture.ingress, []);
  });

  test('a group is deleted once nothing uses it; the default group never', async () => {
    const svc = await providerService(h);
    const net = await defaultNetwork(h, h.cloud.accounts.customer);
    const used = await newGroup('used-by-endpoint');
    const named = await newGroup('named-by-a-rule');
    const naming = await newGroup('naming');
    await ec2().send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: naming, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 1024, UserIdGroupPairs: [{ GroupId: named }] }] }),
    );
    const endpoint = (
      await ec2().send(
        new CreateVpcEndpointCommand({
          VpcId: vpcId,
          ServiceName: svc.serviceName,
          VpcEndpointType: 'Interface',
          SubnetIds: [net.subnetByZone.get('us-east-1a')!],
          SecurityGroupIds: [used],
        }),
      )
    ).VpcEndpoint!;
    await rejectsWith(ec2().send(new DeleteSecurityGroupCommand({ GroupId: used })), 'DependencyViolation', { message: `resource ${used} has a dependent object` });
    await rejectsWith(ec2().send(new DeleteSecurityGroupCommand({ GroupId: named })), 'DependencyViolation');
    const defaultGroup = (
      await ec2().send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: 'group-name', Values: ['default'] },
            { Name: 'vpc-id', Values: [vpcId] },
          ],
        }),
      )
    ).SecurityGroups![0]!.GroupId!;
    await rejectsWith(ec2().send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup })), 'CannotDelete');

    // Once the rule naming it is gone (with its group), and the endpoint is deleted, both can go.
    const deleted = await ec2().send(new DeleteSecurityGroupCommand({ GroupId: naming }));
    assert.equal(deleted.GroupId, naming);
    await ec2().send(new DeleteSecurityGroupCommand({ GroupName: 'named-by-a-rule' }));
    await ec2().send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId!] }));
    await ec2().send(new DeleteSecurityGroupCommand({ GroupId: used }));
    for (const id of [used, named, naming]) await rejectsWith(group(id), 'InvalidGroup.NotFound');
    const left = (await h.cloud.snapshot()).securityGroups.map((g) => g.groupId);
    for (const id of [used, named, naming]) assert.ok(!left.includes(id), id);
    // Another account's group is not found, and stays.
    const theirs = (await h.ec2(h.cloud.accounts.provider).send(new CreateSecurityGroupCommand({ GroupName: 'theirs', Description: 'x' }))).GroupId!;
    await rejectsWith(ec2().send(new DeleteSecurityGroupCommand({ GroupId: theirs })), 'InvalidGroup.NotFound');
  });
});
