import type { Migration } from 'kysely';
import * as identity from './0001-identity.js';
import * as clustersAndPrivateEndpoints from './0002-clusters-and-private-endpoints.js';
import * as localCloudAwsMoved from './0003-localcloud-aws.js';
import * as dataPlane from './0004-data-plane.js';
import * as providerDetail from './0005-provider-detail.js';
import * as serverless from './0006-serverless.js';
import * as accessList from './0012-access-list.js';

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
  '0012-access-list': accessList,
};
