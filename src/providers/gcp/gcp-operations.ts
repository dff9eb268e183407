import type { protos } from '@google-cloud/compute';
import type { GcpClients } from './gcp-clients.js';
import { classifyGcpError, gcp } from './gcp-errors.js';

type Operation = protos.google.cloud.compute.v1.IOperation;

/** How often a started operation is polled while a pass waits for it. */
const POLL_MS = 25;
/** How long one pass waits for a started operation before leaving it to the next pass. */
const SETTLE_MS = 1_500;

/**
 * Starts a Compute write in the project of `clients` and gives its operation up to SETTLE_MS to
 * finish, so a quick step lets the same pass go on; a slow one is left running. True when it
 * finished. A DONE operation with an `error` (which the client returns, not throws) is thrown classified.
 */
export async function settles(clients: GcpClients, start: () => Promise<unknown>): Promise<boolean> {
  const [lro] = (await gcp(start)) as [{ latestResponse: Operation }];
  let op = lro.latestResponse;
  const deadline = Date.now() + SETTLE_MS;
  while (op.status !== 'DONE') {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    op = await getOperation(clients, op);
  }
  const first = op.error?.errors?.[0];
  if (first) throw classifyGcpError({ code: Number(op.httpErrorStatusCode ?? 400), errors: [{ reason: first.code ?? undefined }], message: first.message ?? 'operation failed' });
  return true;
}

async function getOperation(clients: GcpClients, op: Operation): Promise<Operation> {
  const project = clients.connection.projectId;
  const operation = op.name!;
  const last = (link: string) => link.split('/').pop()!;
  const c = await clients.compute();
  if (op.region) return (await gcp(() => c.regionOperations.get({ project, region: last(op.region!), operation })))[0];
  return (await gcp(() => c.globalOperations.get({ project, operation })))[0];
}
