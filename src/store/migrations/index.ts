import type { Migration } from 'kysely';
import * as identity from './0001-identity.js';
import * as clustersAndPrivateEndpoints from './0002-clusters-and-private-endpoints.js';
import * as localCloudAwsMoved from './0003-localcloud-aws.js';
import * as dataPlane from './0004-data-plane.js';
import * as providerDetail from './0005-provider-detail.js';
import * as serverless from './0006-serverless.js';
import * as appServices from './0007-app-services.js';
import * as databaseUsers from './0008-database-users.js';
import * as providerCapacity from './0009-provider-capacity.js';
import * as consoleSessions from './0010-console.js';
import * as operations from './0011-operations.js';
import * as accessList from './0012-access-list.js';
import * as webhooks from './0013-webhooks.js';
import * as traceContext from './0015-trace-context.js';
import * as consoleUsers from './0016-console-users.js';
import * as appServicesAccessList from './0017-appservices-access-list.js';
import * as providerAccountsClouds from './0018-provider-accounts-clouds.js';
import * as simulatedNodeAddresses from './0019-simulated-node-addresses.js';
import * as placementCounts from './0020-placement-counts.js';
import * as publicRouteChanges from './0021-public-route-changes.js';

/**
 * Every migration, in order. Forward-only: a migration once released is never edited or
 * removed; a change is a new file with the next number. Names are the sort keys.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-identity': identity,
  '0002-clusters-and-private-endpoints': clustersAndPrivateEndpoints,
  '0003-localcloud-aws': localCloudAwsMoved,
  '0004-data-plane': dataPlane,
  '0005-provider-detail': providerDetail,
  '0006-serverless': serverless,
  '0007-app-services': appServices,
  '0008-database-users': databaseUsers,
  '0009-provider-capacity': providerCapacity,
  '0010-console': consoleSessions,
  '0011-operations': operations,
  '0012-access-list': accessList,
  '0013-webhooks': webhooks,
  '0015-trace-context': traceContext,
  '0016-console-users': consoleUsers,
  '0017-appservices-access-list': appServicesAccessList,
  '0018-provider-accounts-clouds': providerAccountsClouds,
  '0019-simulated-node-addresses': simulatedNodeAddresses,
  '0020-placement-counts': placementCounts,
  '0021-public-route-changes': publicRouteChanges,
};
