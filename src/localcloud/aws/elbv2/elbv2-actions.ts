import type { ActionHandler } from '../action-context.js';
import { createListener, deleteListener, describeListeners } from './listeners.actions.js';
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancers } from './load-balancers.actions.js';
import { addTags, describeTags, removeTags } from './tags.actions.js';
import { createTargetGroup, deleteTargetGroup, describeTargetGroupAttributes, describeTargetGroups, modifyTargetGroupAttributes } from './target-groups.actions.js';
import { deregisterTargets, describeTargetHealth, registerTargets } from './targets.actions.js';

/** The ELBv2 actions the local cloud answers (API version 2015-12-01), by Action name. */
export const ELBV2_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  DeleteTargetGroup: deleteTargetGroup,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  DeleteListener: deleteListener,
  DescribeTags: describeTags,
  AddTags: addTags,
  RemoveTags: removeTags,
};
