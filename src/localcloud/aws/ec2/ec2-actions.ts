import type { ActionHandler } from '../action-context.js';
import {
  createVpcEndpointConnectionNotification,
  deleteVpcEndpointConnectionNotifications,
  describeVpcEndpointConnectionNotifications,
} from './connection-notifications.actions.js';
import { acceptVpcEndpointConnections, describeVpcEndpointConnections, rejectVpcEndpointConnections } from './endpoint-connections.actions.js';
import {
  createVpcEndpointServiceConfiguration,
  deleteVpcEndpointServiceConfigurations,
  describeVpcEndpointServiceConfigurations,
  describeVpcEndpointServicePermissions,
  modifyVpcEndpointServicePermissions,
} from './endpoint-services.actions.js';
import { describeAvailabilityZones, describeRegions, setAvailabilityZoneState } from './geography.actions.js';
import { describeNetworkInterfaces } from './network-interfaces.actions.js';
import {
  authorizeSecurityGroupEgress,
  authorizeSecurityGroupIngress,
  createSecurityGroup,
  deleteSecurityGroup,
  describeSecurityGroupRules,
  describeSecurityGroups,
  revokeSecurityGroupEgress,
  revokeSecurityGroupIngress,
} from './security-groups.actions.js';
import { createTags, deleteTags, describeTags } from './tags.actions.js';
import { createVpcEndpoint, deleteVpcEndpoints, describeVpcEndpoints, describeVpcEndpointServices, modifyVpcEndpoint } from './vpc-endpoints.actions.js';
import { attachOnPremisesNetwork, describeVpnGateways, detachOnPremisesNetwork } from './on-premises.actions.js';
import { createRoute, deleteRoute, describeRouteTables } from './route-tables.actions.js';
import {
  acceptVpcPeeringConnection,
  createVpcPeeringConnection,
  deleteVpcPeeringConnection,
  describeVpcPeeringConnections,
  rejectVpcPeeringConnection,
} from './vpc-peering.actions.js';
import { createSubnet, createVpcAction, deleteSubnet, deleteVpc, describeSubnets, describeVpcs } from './vpcs.actions.js';

/** The EC2 actions the local cloud answers (API version 2016-11-15), by Action name. */
export const EC2_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  CreateVpc: createVpcAction,
  DescribeVpcs: describeVpcs,
  DeleteVpc: deleteVpc,
  CreateSubnet: createSubnet,
  DescribeSubnets: describeSubnets,
  DeleteSubnet: deleteSubnet,
  CreateSecurityGroup: createSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupRules: describeSecurityGroupRules,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
  DeleteSecurityGroup: deleteSecurityGroup,
  CreateVpcEndpoint: createVpcEndpoint,
  DescribeVpcEndpoints: describeVpcEndpoints,
  DeleteVpcEndpoints: deleteVpcEndpoints,
  ModifyVpcEndpoint: modifyVpcEndpoint,
  DescribeVpcEndpointServices: describeVpcEndpointServices,
  CreateVpcEndpointServiceConfiguration: createVpcEndpointServiceConfiguration,
  DescribeVpcEndpointServiceConfigurations: describeVpcEndpointServiceConfigurations,
  DeleteVpcEndpointServiceConfigurations: deleteVpcEndpointServiceConfigurations,
  ModifyVpcEndpointServicePermissions: modifyVpcEndpointServicePermissions,
  DescribeVpcEndpointServicePermissions: describeVpcEndpointServicePermissions,
  DescribeVpcEndpointConnections: describeVpcEndpointConnections,
  AcceptVpcEndpointConnections: acceptVpcEndpointConnections,
  RejectVpcEndpointConnections: rejectVpcEndpointConnections,
  CreateVpcEndpointConnectionNotification: createVpcEndpointConnectionNotification,
  DescribeVpcEndpointConnectionNotifications: describeVpcEndpointConnectionNotifications,
  DeleteVpcEndpointConnectionNotifications: deleteVpcEndpointConnectionNotifications,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  CreateVpcPeeringConnection: createVpcPeeringConnection,
  AcceptVpcPeeringConnection: acceptVpcPeeringConnection,
  RejectVpcPeeringConnection: rejectVpcPeeringConnection,
  DeleteVpcPeeringConnection: deleteVpcPeeringConnection,
  DescribeVpcPeeringConnections: describeVpcPeeringConnections,
  CreateRoute: createRoute,
  DeleteRoute: deleteRoute,
  DescribeRouteTables: describeRouteTables,
  DescribeVpnGateways: describeVpnGateways,
  /** privlink extension: an on-premises network behind a Direct-Connect-like link (answers as CreateVpnGateway). */
  PrivlinkAttachOnPremisesNetwork: attachOnPremisesNetwork,
  /** privlink extension: removes that network (answers as DeleteVpnGateway). */
  PrivlinkDetachOnPremisesNetwork: detachOnPremisesNetwork,
  /** privlink extension: the availability-zone fault switch. */
  PrivlinkSetAvailabilityZoneState: setAvailabilityZoneState,
};
