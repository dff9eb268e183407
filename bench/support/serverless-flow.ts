// The serverless private-endpoint flow (README "serverless instance over AWS PrivateLink") as the
// flow benchmark drives it: one AWS-backed instance made once (untimed), then per run a private
// endpoint reserved (POST → RESERVED), the customer's VPC endpoint to its service, the PATCH with
// the VPC endpoint id (PATCH → AVAILABLE), and the endpoint deleted (to 404) with the VPC endpoint.
import type { AtlasClient } from '../../src/client/atlas-client.js';
import { FlowError, pollUntil, type CustomerSide, type PollOptions } from './atlas-flow.js';

const INSTANCE = 'BenchServerless0';

type Json = Record<string, unknown>;

/** Times of one serverless run, ms. */
export interface ServerlessRunTimes {
  readonly reserve: number;
  readonly customer: number;
  readonly patch: number;
  readonly teardown: number;
}

/** Creates the AWS-backed instance the runs use and waits until it is IDLE. */
export async function createServerlessInstance(client: AtlasClient, projectId: string, poll: PollOptions): Promise<void> {
  const base = `/api/atlas/v2/groups/${projectId}/serverless`;
  const created = await client.post(base, { name: INSTANCE, providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' } });
  if (created.status !== 201) throw new FlowError(`POST serverless: ${created.status} ${created.text.slice(0, 300)}`);
  await pollUntil(client, `${base}/${INSTANCE}`, (r) => (r.json as Json | undefined)?.stateName === 'IDLE', poll);
}

/** One run: reserve, the customer's endpoint, PATCH, then (untimed for the targets) delete both. */
export async function serverlessRun(client: AtlasClient, projectId: string, customer: CustomerSide, poll: PollOptions): Promise<ServerlessRunTimes> {
  const base = `/api/atlas/v2/groups/${projectId}/privateEndpoint/serverless/instance/${INSTANCE}/endpoint`;
  const status = (wanted: string) => (r: { status: number; json: unknown }) => r.status === 200 && (r.json as Json).status === wanted;
  const failed = (r: { status: number; json: unknown; text: string }) =>
    r.status !== 200 ? `${r.status} ${r.text.slice(0, 300)}` : (r.json as Json).status === 'FAILED' ? `FAILED: ${String((r.json as Json).errorMessage)}` : undefined;
  const t0 = performance.now();
  const created = await client.post(base, { comment: 'bench' });
  if (created.status !== 201) throw new FlowError(`POST serverless endpoint: ${created.status} ${created.text.slice(0, 300)}`);
  const id = (created.json as Json)._id as string;
  const reserved = await pollUntil(client, `${base}/${id}`, status('RESERVED'), { ...poll, failed });
  const t1 = performance.now();
  const endpoint = await customer.createEndpoint((reserved.response.json as Json).endpointServiceName as string);
  const t2 = performance.now();
  const patched = await client.patch(`${base}/${id}`, { cloudProviderEndpointId: endpoint.id, providerName: 'AWS' });
  if (patched.status !== 200) throw new FlowError(`PATCH serverless endpoint: ${patched.status} ${patched.text.slice(0, 300)}`);
  await pollUntil(client, `${base}/${id}`, status('AVAILABLE'), { ...poll, failed });
  const t3 = performance.now();
  const deleted = await client.delete(`${base}/${id}`);
  if (deleted.status !== 204) throw new FlowError(`DELETE serverless endpoint: ${deleted.status} ${deleted.text.slice(0, 300)}`);
  await pollUntil(client, `${base}/${id}`, (r) => r.status === 404, poll);
  await customer.deleteEndpoint(endpoint.id);
  const t4 = performance.now();
  return { reserve: t1 - t0, customer: t2 - t1, patch: t3 - t2, teardown: t4 - t3 };
}
