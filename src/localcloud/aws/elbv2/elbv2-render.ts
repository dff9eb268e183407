import type { Region } from '../geography.js';
import type { Listener, LoadBalancer, Tag, TargetGroup } from '../model.js';
import { element, leaf, list, scalarList, xml, type Xml } from '../xml.js';

/** ELBv2 resources as XML (awsQuery: PascalCase elements, lists of `<member>`). Pure. */

export function members<T>(name: string, items: readonly T[], render: (item: T) => Xml): Xml {
  return list(name, 'member', items, render);
}

export function renderTags(tags: readonly Tag[]): Xml {
  return members('Tags', tags, (tag) => xml(leaf('Key', tag.key), leaf('Value', tag.value)));
}

export function renderLoadBalancer(lb: LoadBalancer, region: Region): Xml {
  return xml(
    leaf('LoadBalancerArn', lb.arn),
    leaf('DNSName', lb.dnsName),
    leaf('CanonicalHostedZoneId', region.nlbHostedZoneId),
    leaf('CreatedTime', lb.createdAt),
    leaf('LoadBalancerName', lb.name),
    leaf('Scheme', lb.scheme),
    leaf('VpcId', lb.vpcId),
    element('State', leaf('Code', lb.state)),
    leaf('Type', lb.type),
    members('AvailabilityZones', lb.subnets, (subnet) => xml(leaf('ZoneName', subnet.zoneName), leaf('SubnetId', subnet.subnetId), element('LoadBalancerAddresses'))),
    lb.securityGroups.length > 0 ? scalarList('SecurityGroups', 'member', lb.securityGroups) : undefined,
    leaf('IpAddressType', lb.ipAddressType),
  );
}

export function renderTargetGroup(group: TargetGroup, loadBalancerArns: readonly string[]): Xml {
  const hc = group.healthCheck;
  return xml(
    leaf('TargetGroupArn', group.arn),
    leaf('TargetGroupName', group.name),
    leaf('Protocol', group.protocol),
    leaf('Port', group.port),
    leaf('VpcId', group.vpcId),
    leaf('HealthCheckProtocol', hc.protocol),
    leaf('HealthCheckPort', hc.port),
    leaf('HealthCheckEnabled', hc.enabled),
    leaf('HealthCheckIntervalSeconds', hc.intervalSeconds),
    leaf('HealthCheckTimeoutSeconds', hc.timeoutSeconds),
    leaf('HealthyThresholdCount', hc.healthyThresholdCount),
    leaf('UnhealthyThresholdCount', hc.unhealthyThresholdCount),
    scalarList('LoadBalancerArns', 'member', loadBalancerArns),
    leaf('TargetType', group.targetType),
    leaf('IpAddressType', group.ipAddressType),
  );
}

export function renderListener(listener: Listener): Xml {
  return xml(
    leaf('ListenerArn', listener.arn),
    leaf('LoadBalancerArn', listener.loadBalancerArn),
    leaf('Port', listener.port),
    leaf('Protocol', listener.protocol),
    members('DefaultActions', [listener.targetGroupArn], (arn) =>
      xml(
        leaf('Type', 'forward'),
        leaf('TargetGroupArn', arn),
        element(
          'ForwardConfig',
          members('TargetGroups', [arn], (tg) => xml(leaf('TargetGroupArn', tg), leaf('Weight', 1))),
          element('TargetGroupStickinessConfig', leaf('Enabled', false)),
        ),
      ),
    ),
  );
}

export function renderAttributes(attributes: Readonly<Record<string, string>>): Xml {
  return members(
    'Attributes',
    Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)),
    ([key, value]) => xml(leaf('Key', key), leaf('Value', value)),
  );
}
