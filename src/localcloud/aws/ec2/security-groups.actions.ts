import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { ec2Id } from '../ids.js';
import { parseCidr } from '../../common/ipv4.js';
import type { SecurityGroup, SecurityGroupRule } from '../model.js';
import { parseFilters, type QueryParams } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { groupNotFound, invalidParameterValue, missingParameter, required, securityGroupRuleNotFound } from './ec2-errors.js';
import { renderSecurityGroup } from './ec2-render.js';
import { applyFilters } from './filters.js';
import { paginate } from './paging.js';
import { tagsFromSpecifications } from './tags.js';
import { ownVpc } from './vpcs.actions.js';
import { namedAmong } from '../../common/named-rows.js';

/** The caller's security group by id in the request region, or InvalidGroup.NotFound. */
export async function ownGroup(ctx: ActionContext, groupId: string): Promise<SecurityGroup> {
  const group = await ctx.repos.network.findSecurityGroup(groupId);
  if (!group || group.accountId !== ctx.account.accountId || group.region !== ctx.region.regionName) throw groupNotFound(groupId);
  return group;
}

/** CreateSecurityGroup: `GroupName`, `GroupDescription`, `VpcId` (default VPC when absent), tags (security-group). */
export async function createSecurityGroup(ctx: ActionContext): Promise<Xml> {
  const groupName = required(ctx.params, 'GroupName');
  const description = required(ctx.params, 'GroupDescription');
  if (groupName.toLowerCase().startsWith('sg-')) throw invalidParameterValue('Group names may not be in the format sg-*.');
  if (groupName.length > 255 || description.length > 255) throw invalidParameterValue('Group name and description must be at most 255 characters.');
  const vpcId = ctx.params.get('VpcId') || (await ctx.repos.control.findDefaultVpcId(ctx.account.accountId, ctx.region.regionName));
  if (!vpcId) throw new AwsQueryError('VPCIdNotSpecified', 'No default VPC for this user');
  const vpc = await ownVpc(ctx, vpcId);
  if (await ctx.repos.network.findSecurityGroupByName(vpc.vpcId, groupName)) {
    throw new AwsQueryError('InvalidGroup.Duplicate', `The security group '${groupName}' already exists for VPC '${vpc.vpcId}'`);
  }
  const tags = tagsFromSpecifications(ctx.params, 'security-group');
  const groupId = ec2Id('sg');
  await ctx.repos.network.insertSecurityGroup({
    groupId,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    vpcId: vpc.vpcId,
    groupName,
    description,
    tags,
    createdAt: ctx.now,
  });
  await ctx.repos.network.insertRule(
    { ruleId: ec2Id('sgr'), groupId, isEgress: true, ipProtocol: '-1', fromPort: null, toPort: null, cidrIpv4: '0.0.0.0/0', referencedGroupId: null, description: null },
    ctx.now,
  );
  return xml(
    leaf('return', true),
    leaf('groupId', groupId),
    leaf('securityGroupArn', `arn:aws:ec2:${ctx.region.regionName}:${ctx.account.accountId}:security-group/${groupId}`),
    tags.length > 0 ? list('tagSet', 'item', tags, (t) => xml(leaf('key', t.key), leaf('value', t.value))) : undefined,
  );
}

const PROTOCOLS: Readonly<Record<string, string>> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': '-1', all: '-1' };

type NewRule = Omit<SecurityGroupRule, 'ruleId' | 'seq' | 'groupId' | 'isEgress'>;

function port(value: string | undefined, name: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < -1 || n > 65535) throw invalidParameterValue(`Invalid value '${value}' for ${name}.`);
  return n;
}

/** Rules from `IpPermissions.N.*` or the flat `IpProtocol/FromPort/ToPort/CidrIp` form. */
function parseRules(params: QueryParams): NewRule[] {
  const permissions = params.structs('IpPermissions');
  const sources = permissions.length > 0 ? permissions : params.has('IpProtocol') ? [params] : [];
  if (sources.length === 0) throw missingParameter('IpPermissions');
  const rules: NewRule[] = [];
  for (const permission of sources) {
    const rawProtocol = (permission.get('IpProtocol') ?? '').toLowerCase();
    const ipProtocol = PROTOCOLS[rawProtocol];
    if (!ipProtocol) throw invalidParameterValue(`Invalid value '${rawProtocol}' for IP protocol. Unknown protocol.`);
    const allPorts = ipProtocol === '-1';
    const fromPort = allPorts ? null : port(permission.get('FromPort'), 'fromPort');
    const toPort = allPorts ? null : port(permission.get('ToPort'), 'toPort');
    if (!allPorts && (fromPort === null || toPort === null)) throw invalidParameterValue('Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
    const base = { ipProtocol, fromPort, toPort };
    const ranges = permission.structs('IpRanges').map((r) => ({ cidr: r.get('CidrIp') ?? '', description: r.get('Description') ?? null }));
    if (permission.get('CidrIp')) ranges.push({ cidr: permission.get('CidrIp')!, description: null });
    for (const range of ranges) {
      if (!parseCidr(range.cidr)) throw invalidParameterValue(`CIDR block ${range.cidr} is malformed`);
      rules.push({ ...base, cidrIpv4: range.cidr, referencedGroupId: null, description: range.description });
    }
    for (const pair of permission.structs('Groups')) {
      const groupId = pair.get('GroupId');
      if (!groupId) throw missingParameter('GroupId');
      rules.push({ ...base, cidrIpv4: null, referencedGroupId: groupId, description: pair.get('Description') ?? null });
    }
    if (ranges.length === 0 && permission.structs('Groups').length === 0) throw missingParameter('IpRanges or Groups');
  }
  return rules;
}

function describeRule(rule: NewRule): string {
  const peer = rule.cidrIpv4 ?? rule.referencedGroupId;
  const protocol = rule.ipProtocol === '-1' ? 'ALL' : rule.ipProtocol.toUpperCase();
  return `peer: ${peer}, ${protocol}, from port: ${rule.fromPort ?? 'ALL'}, to port: ${rule.toPort ?? 'ALL'}, ALLOW`;
}

async function authorize(ctx: ActionContext, isEgress: boolean): Promise<Xml> {
  const groupId = ctx.params.get('GroupId');
  if (!groupId) throw missingParameter('GroupId');
  const group = await ownGroup(ctx, groupId);
  const rules = parseRules(ctx.params);
  const existing = (await ctx.repos.network.listRules([group.groupId])).filter((r) => r.isEgress === isEgress);
  const created: SecurityGroupRule[] = [];
  for (const rule of rules) {
    if (rule.referencedGroupId) {
      const peer = await ctx.repos.network.findSecurityGroup(rule.referencedGroupId);
      if (!peer || peer.region !== ctx.region.regionName) throw groupNotFound(rule.referencedGroupId);
    }
    const same = (r: NewRule) => sameRule(r, rule);
    if (existing.some(same) || created.some(same)) {
      throw new AwsQueryError('InvalidPermission.Duplicate', `the specified rule "${describeRule(rule)}" already exists`);
    }
    const full: SecurityGroupRule = { ...rule, ruleId: ec2Id('sgr'), seq: 0, groupId: group.groupId, isEgress };
    await ctx.repos.network.insertRule(full, ctx.now);
    created.push(full);
  }
  return xml(
    leaf('return', true),
    list('securityGroupRuleSet', 'item', created, (r) => ruleItem(r, group.accountId)),
  );
}

/** One rule as EC2's `SecurityGroupRule` (Authorize answers, DescribeSecurityGroupRules). */
function ruleItem(r: SecurityGroupRule, ownerId: string): Xml {
  return xml(
    leaf('securityGroupRuleId', r.ruleId),
    leaf('groupId', r.groupId),
    leaf('groupOwnerId', ownerId),
    leaf('isEgress', r.isEgress),
    leaf('ipProtocol', r.ipProtocol),
    leaf('fromPort', r.fromPort ?? -1),
    leaf('toPort', r.toPort ?? -1),
    leaf('cidrIpv4', r.cidrIpv4),
    r.referencedGroupId ? element('referencedGroupInfo', leaf('groupId', r.referencedGroupId), leaf('userId', ownerId)) : undefined,
    leaf('description', r.description),
  );
}

/**
 * DescribeSecurityGroupRules: the rules of the caller's groups in the region; `SecurityGroupRuleId.N`
 * (an unknown one: InvalidSecurityGroupRuleId.NotFound), filters group-id and
 * security-group-rule-id; paging 5–1000.
 */
export async function describeSecurityGroupRules(ctx: ActionContext): Promise<Xml> {
  const groups = await ctx.repos.network.listSecurityGroups(ctx.account.accountId, ctx.region.regionName);
  const rules = await ctx.repos.network.listRules(groups.map((g) => g.groupId));
  const named = namedAmong(rules, ctx.params.list('SecurityGroupRuleId'), (r) => r.ruleId, securityGroupRuleNotFound);
  const kept = applyFilters(named, parseFilters(ctx.params), { 'group-id': (r) => r.groupId, 'security-group-rule-id': (r) => r.ruleId });
  const { page, nextToken } = await paginate(kept, ctx.params, { min: 5, max: 1000 });
  return xml(
    list('securityGroupRuleSet', 'item', page, (r) => ruleItem(r, ctx.account.accountId)),
    leaf('nextToken', nextToken),
  );
}

/** AuthorizeSecurityGroupIngress: `GroupId` plus `IpPermissions.N` (IpRanges, Groups) or the flat form. */
export async function authorizeSecurityGroupIngress(ctx: ActionContext): Promise<Xml> {
  return authorize(ctx, false);
}

/** AuthorizeSecurityGroupEgress: `GroupId` plus `IpPermissions.N`. */
export async function authorizeSecurityGroupEgress(ctx: ActionContext): Promise<Xml> {
  return authorize(ctx, true);
}

/** The rule as the request states it: protocol, ports and one peer. */
function sameRule(a: NewRule, b: NewRule): boolean {
  return a.ipProtocol === b.ipProtocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.cidrIpv4 === b.cidrIpv4 && a.referencedGroupId === b.referencedGroupId;
}

/**
 * Revokes rules named by `SecurityGroupRuleId.N`, or stated as `IpPermissions.N` (or the flat
 * form) and matched by protocol, ports and peer. As EC2 answers: when none of them exists,
 * InvalidPermission.NotFound; otherwise the ones that exist go and the others are listed in
 * `unknownIpPermissionSet`.
 */
async function revoke(ctx: ActionContext, isEgress: boolean): Promise<Xml> {
  const groupId = ctx.params.get('GroupId');
  if (!groupId) throw missingParameter('GroupId');
  const group = await ownGroup(ctx, groupId);
  const existing = (await ctx.repos.network.listRules([group.groupId])).filter((r) => r.isEgress === isEgress);
  const ruleIds = ctx.params.list('SecurityGroupRuleId');
  let gone: SecurityGroupRule[];
  let unknown: NewRule[] = [];
  if (ruleIds.length > 0) {
    gone = existing.filter((r) => ruleIds.includes(r.ruleId));
    const missing = ruleIds.find((id) => !gone.some((r) => r.ruleId === id));
    if (missing) throw securityGroupRuleNotFound(missing);
  } else {
    const stated = parseRules(ctx.params);
    gone = existing.filter((r) => stated.some((s) => sameRule(s, r)));
    unknown = stated.filter((s) => !existing.some((r) => sameRule(s, r)));
    if (gone.length === 0) throw new AwsQueryError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
  }
  await ctx.repos.network.deleteRules(gone.map((r) => r.ruleId));
  return xml(
    leaf('return', true),
    unknown.length > 0
      ? list('unknownIpPermissionSet', 'item', unknown, (r) =>
          xml(
            leaf('ipProtocol', r.ipProtocol),
            leaf('fromPort', r.fromPort ?? undefined),
            leaf('toPort', r.toPort ?? undefined),
            r.cidrIpv4 ? list('ipRanges', 'item', [r.cidrIpv4], (cidr) => leaf('cidrIp', cidr)) : undefined,
            r.referencedGroupId ? list('groups', 'item', [r.referencedGroupId], (id) => leaf('groupId', id)) : undefined,
          ),
        )
      : undefined,
  );
}

/** RevokeSecurityGroupIngress: `GroupId` plus `SecurityGroupRuleId.N` or `IpPermissions.N` (or the flat form). */
export async function revokeSecurityGroupIngress(ctx: ActionContext): Promise<Xml> {
  return revoke(ctx, false);
}

/** RevokeSecurityGroupEgress: `GroupId` plus `SecurityGroupRuleId.N` or `IpPermissions.N`. */
export async function revokeSecurityGroupEgress(ctx: ActionContext): Promise<Xml> {
  return revoke(ctx, true);
}

/**
 * DeleteSecurityGroup: `GroupId`, or `GroupName` (in the default VPC). A VPC's `default` group
 * cannot be deleted (CannotDelete); nor can a group another group's rule names, or one attached
 * to a VPC endpoint or a load balancer (DependencyViolation). Its rules go with it.
 */
export async function deleteSecurityGroup(ctx: ActionContext): Promise<Xml> {
  const groupId = ctx.params.get('GroupId');
  const groupName = ctx.params.get('GroupName');
  let group: SecurityGroup;
  if (groupId) group = await ownGroup(ctx, groupId);
  else if (groupName) {
    const vpcId = await ctx.repos.control.findDefaultVpcId(ctx.account.accountId, ctx.region.regionName);
    const found = vpcId ? await ctx.repos.network.findSecurityGroupByName(vpcId, groupName) : undefined;
    if (!found) throw new AwsQueryError('InvalidGroup.NotFound', `The security group '${groupName}' does not exist in default VPC '${vpcId ?? 'none'}'`);
    group = found;
  } else throw missingParameter('GroupId');
  if (group.groupName === 'default') {
    throw new AwsQueryError('CannotDelete', `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
  }
  const dependent = await ctx.repos.network.securityGroupDependent(group.groupId);
  if (dependent) throw new AwsQueryError('DependencyViolation', `resource ${group.groupId} has a dependent object`);
  await ctx.repos.network.deleteSecurityGroup(group.groupId);
  return xml(leaf('return', true), leaf('groupId', group.groupId));
}

/** DescribeSecurityGroups: `GroupId.N`, `GroupName.N`, filters group-id, group-name, vpc-id, owner-id, description, tags; paging 5–1000. */
export async function describeSecurityGroups(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('GroupId');
  const names = ctx.params.list('GroupName');
  const all = await ctx.repos.network.listSecurityGroups(ctx.account.accountId, ctx.region.regionName);
  // Ids, then names, each must be among all of the caller's groups; the answer holds the groups both name.
  const byId = namedAmong(all, ids, (g) => g.groupId, groupNotFound);
  const byName = new Set(namedAmong(all, names, (g) => g.groupName, groupNotFound));
  let groups = byId.filter((g) => byName.has(g));
  groups = applyFilters(
    groups,
    parseFilters(ctx.params),
    {
      'group-id': (g) => g.groupId,
      'group-name': (g) => g.groupName,
      'vpc-id': (g) => g.vpcId,
      'owner-id': (g) => g.accountId,
      description: (g) => g.description,
    },
    (g) => g.tags,
  );
  const { page, nextToken } = await paginate(groups, ctx.params, { min: 5, max: 1000 });
  const rules = await ctx.repos.network.listRules(page.map((g) => g.groupId));
  const owners = new Map(groups.map((g) => [g.groupId, g.accountId]));
  const items = page.map((group) =>
    renderSecurityGroup(
      group,
      rules.filter((r) => r.groupId === group.groupId),
      (id) => owners.get(id) ?? ctx.account.accountId,
    ),
  );
  return xml(
    list('securityGroupInfo', 'item', items, (x) => x),
    leaf('nextToken', nextToken),
  );
}
