// Admin API steps of the scale benchmark around the private-endpoint flow (bench/support/atlas-flow.ts):
// a project, a three-node cluster in it, and the provider account pool, as a user does them
// (README, docs/operations.md "Adding accounts").
import type { AtlasClient, AtlasResponse } from '../../src/client/atlas-client.js';
import { FlowError } from './atlas-flow.js';

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs a project in `orgId` (201); returns its id. */
export async function createProject(client: AtlasClient, orgId: string, name: string): Promise<string> {
  const created = await client.post('/api/atlas/v2/groups', { name, orgId });
  const id = (created.json as Json | undefined)?.id;
  if (created.status !== 201 || typeof id !== 'string') throw new FlowError(`POST groups: ${created.status} ${created.text.slice(0, 300)}`);
  return id;
}

/**
 * Sends a request about a project just made, once more every 100 ms (up to 2 s) while it answers
 * 403: a replica may have cached the key's roles just before the project was committed (the
 * authentication cache keeps them up to 1 s, docs/decisions.md), as a client would see too.
 */
export async function afterProjectCreated(send: () => Promise<AtlasResponse>): Promise<AtlasResponse> {
  let response = await send();
  for (let attempt = 0; response.status === 403 && attempt < 20; attempt++) {
    await sleep(100);
    response = await send();
  }
  return response;
}

/** `…/groups/{projectId}/clusters/Cluster0`. */
export function clusterPath(projectId: string): string {
  return `/api/atlas/v2/groups/${projectId}/clusters/Cluster0`;
}

/** POSTs `Cluster0`: a three-node AWS replica set in us-east-1 (201 CREATING). */
export async function createCluster(client: AtlasClient, projectId: string): Promise<void> {
  const created = await afterProjectCreated(() =>
    client.post(`/api/atlas/v2/groups/${projectId}/clusters`, {
      name: 'Cluster0',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    }),
  );
  if (created.status !== 201) throw new FlowError(`POST clusters: ${created.status} ${created.text.slice(0, 300)}`);
}

/** Adds a local-cloud account `name` to the organization's provider account pool (201). */
export async function addLocalCloudAccount(client: AtlasClient, orgId: string, name: string): Promise<void> {
  const added = await client.post(`/api/atlas/v2/orgs/${orgId}/privlink/providerAccounts`, { name, kind: 'LOCAL_CLOUD' });
  if (added.status !== 201) throw new FlowError(`POST providerAccounts: ${added.status} ${added.text.slice(0, 300)}`);
}
