import type { EndpointService, NetworkInterface, SecurityGroup, SecurityGroupRule, Subnet, VpcEndpoint, Vpc } from '../model.js';
import { baseEndpointDnsName } from '../names.js';
import { element, leaf, list, scalarList, xml, type Xml } from '../xml.js';
import { tagSet } from './tags.js';

/**
 * EC2 resources as XML, with the element names and casing of the EC2 API (checked against the
 * AWS SDK's deserialisers). Pure: callers pass everything a resource needs.
 */

export function renderVpc(vpc: Vpc): Xml {
  return xml(
    leaf('vpcId', vpc.vpcId),
    leaf('ownerId', vpc.accountId),
    leaf('state', 'available'),
    leaf('cidrBlock', vpc.cidrBlock),
    list('cidrBlockAssociationSet', 'item', [vpc], (v) =>
      xml(leaf('associationId', `vpc-cidr-assoc-${v.vpcId.slice(4)}`), leaf('cidrBlock', v.cidrBlock), element('cidrBlockState', leaf('state', 'associated'))),
    ),
    leaf('dhcpOptionsId', vpc.dhcpOptionsId),
    tagSet(vpc.tags),
    leaf('instanceTenancy', 'default'),
    leaf('isDefault', vpc.isDefault),
    element('blockPublicAccessStates', leaf('internetGatewayBlockMode', 'off')),
  );
}

export function renderSubnet(subnet: Subnet, availableIpAddressCount: number): Xml {
  return xml(
    leaf('subnetId', subnet.subnetId),
    leaf('subnetArn', `arn:aws:ec2:${subnet.region}:${subnet.accountId}:subnet/${subnet.subnetId}`),
    leaf('state', 'available'),
    leaf('ownerId', subnet.accountId),
    leaf('vpcId', subnet.vpcId),
    leaf('cidrBlock', subnet.cidrBlock),
    element('ipv6CidrBlockAssociationSet'),
    leaf('availableIpAddressCount', availableIpAddressCount),
    leaf('availabilityZone', subnet.availabilityZone),
    leaf('availabilityZoneId', subnet.availabilityZoneId),
    leaf('defaultForAz', subnet.defaultForAz),
    leaf('mapPublicIpOnLaunch', subnet.mapPublicIpOnLaunch),
    leaf('mapCustomerOwnedIpOnLaunch', false),
    leaf('assignIpv6AddressOnCreation', false),
    leaf('ipv6Native', false),
    leaf('enableDns64', false),
    element('privateDnsNameOptionsOnLaunch', leaf('hostnameType', 'ip-name'), leaf('enableResourceNameDnsARecord', false), leaf('enableResourceNameDnsAAAARecord', false)),
    tagSet(subnet.tags),
    element('blockPublicAccessStates', leaf('internetGatewayBlockMode', 'off')),
  );
}

/** Rules grouped into IpPermissions by (protocol, from, to), as DescribeSecurityGroups returns them. */
function renderPermissions(name: string, rules: readonly SecurityGroupRule[], ownerOf: (groupId: string) => string | undefined): Xml {
  const groups = new Map<string, SecurityGroupRule[]>();
  for (const rule of rules) {
    const key = `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}`;
    groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  return list(name, 'item', [...groups.values()], (same) => {
    // Every group holds at least the rule that created it.
    const first = same[0]!;
    return xml(
      leaf('ipProtocol', first.ipProtocol),
      leaf('fromPort', first.fromPort),
      leaf('toPort', first.toPort),
      list(
        'groups',
        'item',
        same.filter((r) => r.referencedGroupId),
        (r) => xml(leaf('description', r.description), leaf('userId', ownerOf(r.referencedGroupId!)), leaf('groupId', r.referencedGroupId)),
      ),
      list(
        'ipRanges',
        'item',
        same.filter((r) => r.cidrIpv4),
        (r) => xml(leaf('cidrIp', r.cidrIpv4), leaf('description', r.description)),
      ),
      element('ipv6Ranges'),
      element('prefixListIds'),
    );
  });
}

export function renderSecurityGroup(group: SecurityGroup, rules: readonly SecurityGroupRule[], ownerOf: (groupId: string) => string | undefined): Xml {
  return xml(
    leaf('ownerId', group.accountId),
    leaf('groupId', group.groupId),
    leaf('groupName', group.groupName),
    leaf('groupDescription', group.description),
    leaf('vpcId', group.vpcId),
    leaf('securityGroupArn', `arn:aws:ec2:${group.region}:${group.accountId}:security-group/${group.groupId}`),
    renderPermissions(
      'ipPermissions',
      rules.filter((r) => !r.isEgress),
      ownerOf,
    ),
    renderPermissions(
      'ipPermissionsEgress',
      rules.filter((r) => r.isEgress),
      ownerOf,
    ),
    tagSet(group.tags),
  );
}

/** A DNS name with its hosted zone, as in dnsEntrySet. */
export interface DnsEntry {
  readonly dnsName: string;
  readonly hostedZoneId: string;
}

function dnsEntrySet(entries: readonly DnsEntry[]): Xml {
  return list('dnsEntrySet', 'item', entries, (e) => xml(leaf('dnsName', e.dnsName), leaf('hostedZoneId', e.hostedZoneId)));
}

export function renderVpcEndpoint(
  endpoint: VpcEndpoint,
  interfaces: readonly NetworkInterface[],
  groups: ReadonlyArray<{ groupId: string; groupName: string }>,
  dnsEntries: readonly DnsEntry[],
): Xml {
  return xml(
    leaf('vpcEndpointId', endpoint.vpcEndpointId),
    leaf('vpcEndpointType', endpoint.endpointType),
    leaf('vpcId', endpoint.vpcId),
    leaf('serviceName', endpoint.serviceName),
    leaf('state', endpoint.state),
    element('routeTableIdSet'),
    scalarList('subnetIdSet', 'item', endpoint.subnetIds),
    list('groupSet', 'item', groups, (g) => xml(leaf('groupId', g.groupId), leaf('groupName', g.groupName))),
    leaf('ipAddressType', endpoint.ipAddressType),
    element('dnsOptions', leaf('dnsRecordIpType', endpoint.ipAddressType)),
    leaf('privateDnsEnabled', endpoint.privateDnsEnabled),
    leaf('requesterManaged', false),
    scalarList(
      'networkInterfaceIdSet',
      'item',
      interfaces.map((eni) => eni.networkInterfaceId),
    ),
    dnsEntrySet(dnsEntries),
    leaf('creationTimestamp', endpoint.createdAt),
    tagSet(endpoint.tags),
    leaf('ownerId', endpoint.accountId),
    endpoint.state === 'failed' ? element('lastError', leaf('message', 'The VPC endpoint failed.'), leaf('code', 'Client::Failed')) : undefined,
    leaf('serviceRegion', endpoint.region),
  );
}

/** A zone of a service, by name and id. */
export interface ZoneRef {
  readonly zoneName: string;
  readonly zoneId: string;
}

export function renderServiceConfiguration(service: EndpointService, zones: readonly ZoneRef[]): Xml {
  return xml(
    list('serviceType', 'item', ['Interface'], (type) => leaf('serviceType', type)),
    leaf('serviceId', service.serviceId),
    leaf('serviceName', service.serviceName),
    leaf('serviceState', service.state),
    scalarList(
      'availabilityZoneIdSet',
      'item',
      zones.map((z) => z.zoneId),
    ),
    scalarList(
      'availabilityZoneSet',
      'item',
      zones.map((z) => z.zoneName),
    ),
    leaf('acceptanceRequired', service.acceptanceRequired),
    leaf('managesVpcEndpoints', false),
    scalarList('networkLoadBalancerArnSet', 'item', service.loadBalancerArns),
    element('gatewayLoadBalancerArnSet'),
    scalarList('supportedIpAddressTypeSet', 'item', service.supportedIpAddressTypes),
    scalarList('baseEndpointDnsNameSet', 'item', [baseEndpointDnsName(service.region, service.serviceId)]),
    leaf('privateDnsName', service.privateDnsName),
    service.privateDnsName
      ? element(
          'privateDnsNameConfiguration',
          leaf('state', 'pendingVerification'),
          leaf('type', 'TXT'),
          leaf('value', `vpce:${service.serviceId.slice(9)}`),
          leaf('name', `_${service.serviceId.slice(9, 17)}`),
        )
      : element('privateDnsNameConfiguration'),
    leaf('payerResponsibility', 'ServiceOwner'),
    tagSet(service.tags),
    list('supportedRegionSet', 'item', [service.region], (region) => xml(leaf('region', region), leaf('serviceState', service.state))),
    leaf('remoteAccessEnabled', false),
  );
}

export function renderServiceDetail(service: EndpointService, zones: readonly ZoneRef[]): Xml {
  return xml(
    leaf('serviceName', service.serviceName),
    leaf('serviceId', service.serviceId),
    list('serviceType', 'item', ['Interface'], (type) => leaf('serviceType', type)),
    leaf('serviceRegion', service.region),
    scalarList(
      'availabilityZoneIdSet',
      'item',
      zones.map((z) => z.zoneId),
    ),
    scalarList(
      'availabilityZoneSet',
      'item',
      zones.map((z) => z.zoneName),
    ),
    leaf('owner', service.accountId),
    scalarList('baseEndpointDnsNameSet', 'item', [baseEndpointDnsName(service.region, service.serviceId)]),
    leaf('privateDnsName', service.privateDnsName),
    service.privateDnsName ? list('privateDnsNameSet', 'item', [service.privateDnsName], (name) => leaf('privateDnsName', name)) : undefined,
    leaf('vpcEndpointPolicySupported', false),
    leaf('acceptanceRequired', service.acceptanceRequired),
    leaf('managesVpcEndpoints', false),
    leaf('payerResponsibility', 'ServiceOwner'),
    tagSet(service.tags),
    service.privateDnsName ? leaf('privateDnsNameVerificationState', 'pendingVerification') : undefined,
    scalarList('supportedIpAddressTypeSet', 'item', service.supportedIpAddressTypes),
  );
}

export function renderConnection(endpoint: VpcEndpoint, service: EndpointService, dnsEntries: readonly DnsEntry[]): Xml {
  return xml(
    leaf('serviceId', service.serviceId),
    leaf('vpcEndpointId', endpoint.vpcEndpointId),
    leaf('vpcEndpointOwner', endpoint.accountId),
    leaf('vpcEndpointState', endpoint.state),
    leaf('creationTimestamp', endpoint.createdAt),
    dnsEntrySet(dnsEntries),
    scalarList('networkLoadBalancerArnSet', 'item', service.loadBalancerArns),
    element('gatewayLoadBalancerArnSet'),
    leaf('ipAddressType', endpoint.ipAddressType),
    leaf('vpcEndpointConnectionId', `vpce-con-${endpoint.vpcEndpointId.slice(5)}`),
    tagSet([]),
    leaf('vpcEndpointRegion', endpoint.region),
  );
}

/** One failed item of a batch action (Accept/Reject/Delete…): `unsuccessful/item`. */
export interface UnsuccessfulItem {
  readonly resourceId: string;
  readonly code: string;
  readonly message: string;
}

export function renderUnsuccessful(items: readonly UnsuccessfulItem[]): Xml {
  return list('unsuccessful', 'item', items, (item) => xml(element('error', leaf('code', item.code), leaf('message', item.message)), leaf('resourceId', item.resourceId)));
}
