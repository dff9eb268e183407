import { ArmError, armErrors } from '../arm-error.js';
import { objectList, optNumber, optString, propertiesOf, stringList } from '../request-body.js';
import { resourceKey } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';
import { childObject, type ArmContext, type ResourceKind, type WriteTarget } from './kind.js';
import { SUBNET_TYPE } from './subnets.kind.js';

export const NSG_TYPE = 'Microsoft.Network/networkSecurityGroups';

const PROTOCOLS = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'];

/**
 * Azure's default rules, present in every group ("You can't remove the default rules, but you can
 * override them by creating rules with higher priorities"): priorities 65000–65500.
 */
const DEFAULT_RULES: ReadonlyArray<{ name: string; direction: string; access: string; priority: number; source: string; destination: string; description: string }> = [
  {
    name: 'AllowVnetInBound',
    direction: 'Inbound',
    access: 'Allow',
    priority: 65000,
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
    description: 'Allow inbound traffic from all VMs in VNET',
  },
  {
    name: 'AllowAzureLoadBalancerInBound',
    direction: 'Inbound',
    access: 'Allow',
    priority: 65001,
    source: 'AzureLoadBalancer',
    destination: '*',
    description: 'Allow inbound traffic from azure load balancer',
  },
  { name: 'DenyAllInBound', direction: 'Inbound', access: 'Deny', priority: 65500, source: '*', destination: '*', description: 'Deny all inbound traffic' },
  {
    name: 'AllowVnetOutBound',
    direction: 'Outbound',
    access: 'Allow',
    priority: 65000,
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
    description: 'Allow outbound traffic from all VMs to all VMs in VNET',
  },
  {
    name: 'AllowInternetOutBound',
    direction: 'Outbound',
    access: 'Allow',
    priority: 65001,
    source: '*',
    destination: 'Internet',
    description: 'Allow outbound traffic from all VMs to Internet',
  },
  { name: 'DenyAllOutBound', direction: 'Outbound', access: 'Deny', priority: 65500, source: '*', destination: '*', description: 'Deny all outbound traffic' },
];

function pick(value: string | undefined, allowed: readonly string[], field: string, rule: string): string {
  const hit = allowed.find((a) => a.toLowerCase() === (value ?? '').toLowerCase());
  if (!hit)
    throw new ArmError(
      400,
      'SecurityRuleParameterContainsInvalidValue',
      `Security rule ${rule} has invalid value '${value ?? ''}' for ${field}. Allowed values: ${allowed.join(', ')}.`,
    );
  return hit;
}

/** Validates one security rule and returns its stored properties (both the single and the list forms of prefixes and ranges are kept). */
function securityRule(body: JsonObject, path: string): { name: string; properties: JsonObject } {
  const name = optString(body.name, `${path}.name`);
  if (!name) throw armErrors.invalidParameter('Every security rule needs a name.', `${path}.name`);
  const p = propertiesOf(body, `${path}.properties`);
  const priority = optNumber(p.priority, `${path}.properties.priority`);
  if (priority === undefined || !Number.isInteger(priority) || priority < 100 || priority > 4096) {
    throw new ArmError(400, 'SecurityRuleInvalidPriority', `Security rule has invalid Priority. Value provided: ${priority ?? 'none'} Allowed range 100-4096.`);
  }
  const out: JsonObject = {
    priority,
    direction: pick(optString(p.direction, `${path}.properties.direction`), ['Inbound', 'Outbound'], 'direction', name),
    access: pick(optString(p.access, `${path}.properties.access`), ['Allow', 'Deny'], 'access', name),
    protocol: pick(optString(p.protocol, `${path}.properties.protocol`), PROTOCOLS, 'protocol', name),
  };
  for (const field of ['sourceAddressPrefix', 'destinationAddressPrefix', 'sourcePortRange', 'destinationPortRange', 'description'] as const) {
    const value = optString(p[field], `${path}.properties.${field}`);
    if (value !== undefined) out[field] = value;
  }
  for (const field of ['sourceAddressPrefixes', 'destinationAddressPrefixes', 'sourcePortRanges', 'destinationPortRanges'] as const) {
    out[field] = stringList(p[field], `${path}.properties.${field}`);
  }
  for (const [single, list] of [
    ['sourceAddressPrefix', 'sourceAddressPrefixes'],
    ['destinationAddressPrefix', 'destinationAddressPrefixes'],
    ['sourcePortRange', 'sourcePortRanges'],
    ['destinationPortRange', 'destinationPortRanges'],
  ] as const) {
    const many = out[list] as string[];
    if (out[single] === undefined && many.length === 0) throw armErrors.invalidParameter(`Security rule ${name} needs ${single} or ${list}.`, `${path}.properties.${single}`);
  }
  return { name, properties: out };
}

/** Network security groups: rules stored and returned; the data plane evaluates them. */
export const networkSecurityGroupsKind: ResourceKind = {
  type: NSG_TYPE,
  segment: 'networkSecurityGroups',
  operations: {
    get: 'NetworkSecurityGroups_Get',
    list: 'NetworkSecurityGroups_List',
    put: 'NetworkSecurityGroups_CreateOrUpdate',
    delete: 'NetworkSecurityGroups_Delete',
    updateTags: 'NetworkSecurityGroups_UpdateTags',
  },
  writable: true,
  longRunning: true,
  provisioningDelay: (delays) => delays.networkProvisioning,
  async write(_ctx: ArmContext, _target: WriteTarget, body: JsonObject) {
    const props = propertiesOf(body);
    const rules = objectList(props.securityRules, 'properties.securityRules').map((r, i) => securityRule(r, `properties.securityRules[${i}]`));
    for (let i = 0; i < rules.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = rules[i]!;
        const b = rules[j]!;
        if (a.name.toLowerCase() === b.name.toLowerCase()) throw armErrors.invalidParameter(`Security rule name ${a.name} is used twice.`, 'properties.securityRules');
        if (a.properties.priority === b.properties.priority && a.properties.direction === b.properties.direction) {
          throw new ArmError(400, 'SecurityRuleConflict', `Security rule ${a.name} conflicts with rule ${b.name}. Rules cannot have the same Priority and Direction.`);
        }
      }
    }
    return { securityRules: rules.map((r) => ({ name: r.name, properties: r.properties })) };
  },
  async properties(ctx: ArmContext, row: ResourceRow) {
    const rules = Array.isArray(row.properties.securityRules) ? (row.properties.securityRules as JsonObject[]) : [];
    const subnets = (await ctx.repos.resources.allOfType(SUBNET_TYPE)).filter((s) => {
      const ref = s.properties.networkSecurityGroup as JsonObject | undefined;
      return typeof ref?.id === 'string' && resourceKey(ref.id) === row.key;
    });
    const out: JsonObject = {
      resourceGuid: typeof row.properties.resourceGuid === 'string' ? row.properties.resourceGuid : row.etag.slice(3, -1),
      securityRules: rules.map((r) => childObject(row.id, row.type, 'securityRules', String(r.name), row.etag, row.provisioningState, r.properties as JsonObject)),
      defaultSecurityRules: DEFAULT_RULES.map((r) =>
        childObject(row.id, row.type, 'defaultSecurityRules', r.name, row.etag, 'Succeeded', {
          description: r.description,
          protocol: '*',
          sourcePortRange: '*',
          destinationPortRange: '*',
          sourceAddressPrefix: r.source,
          destinationAddressPrefix: r.destination,
          access: r.access,
          priority: r.priority,
          direction: r.direction,
          sourcePortRanges: [],
          destinationPortRanges: [],
          sourceAddressPrefixes: [],
          destinationAddressPrefixes: [],
        }),
      ),
    };
    if (subnets.length > 0) out.subnets = subnets.map((s) => ({ id: s.id }));
    return out;
  },
  async beforeDelete(ctx: ArmContext, row: ResourceRow) {
    const users = (await ctx.repos.resources.allOfType(SUBNET_TYPE)).filter((s) => {
      const ref = s.properties.networkSecurityGroup as JsonObject | undefined;
      return typeof ref?.id === 'string' && resourceKey(ref.id) === row.key;
    });
    if (users.length > 0) {
      throw new ArmError(
        400,
        'InUseNetworkSecurityGroupCannotBeDeleted',
        `Network security group ${row.id} cannot be deleted because it is in use by the following resources: ${users.map((u) => u.id).join(', ')}. In order to delete the Network security group, remove the association with the resource(s).`,
      );
    }
  },
  async purge() {},
};
