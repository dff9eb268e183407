import type { ComputeContext } from '../compute-context.js';
import { acceptEntryFor, decideConnection, type AcceptEntry, type ConnectionPolicy, type Consumer, type PscStatus } from '../psc-connection.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { JsonObject } from '../store/schema.js';

/**
 * Applies psc-connection.ts to stored rows: reads an attachment's policy, a rule's consumer, and
 * re-decides every PSC forwarding rule that targets an attachment.
 */

/** The connection policy stored on a service attachment document. */
export function policyOf(body: JsonObject): ConnectionPolicy {
  const accept = Array.isArray(body.consumerAcceptLists) ? (body.consumerAcceptLists as JsonObject[]) : [];
  return {
    connectionPreference: body.connectionPreference === 'ACCEPT_AUTOMATIC' ? 'ACCEPT_AUTOMATIC' : 'ACCEPT_MANUAL',
    acceptList: accept.map(
      (e): AcceptEntry => ({
        ...(typeof e.projectIdOrNum === 'string' ? { projectIdOrNum: e.projectIdOrNum } : {}),
        ...(typeof e.networkUrl === 'string' ? { networkUrl: e.networkUrl } : {}),
        connectionLimit: typeof e.connectionLimit === 'number' ? e.connectionLimit : 0,
      }),
    ),
    rejectList: Array.isArray(body.consumerRejectLists) ? body.consumerRejectLists.map(String) : [],
    reconcileConnections: body.reconcileConnections === true,
  };
}

/** The consumer behind a PSC forwarding rule. */
export async function consumerOf(ctx: ComputeContext, rule: Pick<ResourceRow, 'project' | 'body'>): Promise<Consumer> {
  const project = (await ctx.repos.control.allProjects()).find((p) => p.projectId === rule.project);
  return { projectId: rule.project, projectNumber: project?.projectNumber, network: String(rule.body.network) };
}

/** How many of `rules` are ACCEPTED under the same accept-list entry as `consumer`. */
export async function acceptedUnderSameEntry(ctx: ComputeContext, policy: ConnectionPolicy, consumer: Consumer, rules: readonly ResourceRow[]): Promise<number> {
  const entry = acceptEntryFor(policy, consumer);
  if (!entry) return 0;
  let count = 0;
  for (const other of rules) {
    if (other.body.pscConnectionStatus !== 'ACCEPTED') continue;
    if (acceptEntryFor(policy, await consumerOf(ctx, other)) === entry) count++;
  }
  return count;
}

/**
 * Re-decides the status of every live PSC forwarding rule that targets `attachmentPath`, in
 * creation order, against `attachment` (undefined: deleted → CLOSED), and stores the changes.
 */
export async function reevaluateConnections(ctx: ComputeContext, attachmentPath: string, attachment: JsonObject | undefined): Promise<void> {
  const rules = (await ctx.repos.resources.referring(attachmentPath, ctx.now)).filter((r) => r.body.pscConnectionStatus !== 'CLOSED');
  const policy = attachment ? policyOf(attachment) : undefined;
  const decided: ResourceRow[] = [];
  for (const rule of rules) {
    const consumer = await consumerOf(ctx, rule);
    const current = rule.body.pscConnectionStatus as PscStatus | undefined;
    const accepted = policy ? await acceptedUnderSameEntry(ctx, policy, consumer, decided) : 0;
    const status = decideConnection(policy, consumer, current, accepted);
    const next = status === current ? rule : { ...rule, body: { ...rule.body, pscConnectionStatus: status } };
    if (next !== rule) await ctx.repos.resources.save(next);
    decided.push(next);
  }
}
