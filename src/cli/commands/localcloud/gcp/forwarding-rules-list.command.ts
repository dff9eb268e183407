import type { protos } from '@google-cloud/compute';
import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, outputChoice, resourcePath, withCompute } from './compute-session.js';

/** One forwarding rule as these commands show it. */
export interface RuleRow {
  readonly name: string;
  readonly IPAddress: string | null;
  /** The target from `projects/` on (a service attachment for a PSC endpoint). */
  readonly target: string | null;
  /** PENDING | ACCEPTED | REJECTED | CLOSED (PSC endpoints only). */
  readonly pscConnectionStatus: string | null;
  readonly pscConnectionId: string | null;
}

export function ruleRow(rule: protos.google.cloud.compute.v1.IForwardingRule): RuleRow {
  return {
    name: rule.name ?? '',
    IPAddress: rule.IPAddress ?? null,
    target: rule.target ? resourcePath(rule.target) : null,
    pscConnectionStatus: rule.pscConnectionStatus ?? null,
    pscConnectionId: rule.pscConnectionId === undefined || rule.pscConnectionId === null ? null : String(rule.pscConnectionId),
  };
}

/** NAME IP_ADDRESS TARGET PSC_CONNECTION_STATUS PSC_CONNECTION_ID (aligned on a terminal, tab-separated in a pipe). */
export function ruleTable(body: unknown): string {
  const rows = body as RuleRow[];
  return `NAME\tIP_ADDRESS\tTARGET\tPSC_CONNECTION_STATUS\tPSC_CONNECTION_ID\n${rows
    .map((r) => [r.name, r.IPAddress, r.target, r.pscConnectionStatus, r.pscConnectionId].map((v) => v ?? '').join('\t') + '\n')
    .join('')}`;
}

/**
 * `privlink localcloud gcp forwarding-rules list --region <r> [--filter-prefix <p>]`: the
 * project's forwarding rules in the region (as `gcloud compute forwarding-rules list`), with each
 * PSC endpoint's connection status and id; `--filter-prefix` keeps names starting with it (a
 * Compute `name eq <p>.*` filter). A table, or with `-o json` an array.
 */
export const forwardingRulesListCommand = defineCommand({
  name: 'list',
  summary: 'List forwarding rules with their PSC connection status (as `gcloud compute forwarding-rules list`).',
  flags: [
    { syntax: '--region <region>', description: 'Region of the rules.', required: true },
    { syntax: '--filter-prefix <prefix>', description: 'Only rules whose name starts with this prefix.' },
    ...COMPUTE_FLAGS,
    { syntax: '-o, --output <format>', description: 'Output format: text (default) or json.' },
  ],
  examples: ['privlink localcloud gcp forwarding-rules list --region us-central1 --filter-prefix endpoint --data-dir ./.privlink'],
  async run(ctx) {
    const output = outputChoice(ctx);
    const prefix = ctx.flag('filterPrefix');
    const rows = await withCompute(ctx, async (c) => {
      const filter = prefix ? { filter: `name eq ${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*` } : {};
      const [rules] = await c.forwardingRules.list({ project: c.project, region: ctx.flag('region')!, ...filter });
      return rules.map(ruleRow);
    });
    if (output === 'json') ctx.out(`${JSON.stringify(rows, null, 2)}\n`);
    else ctx.printHuman(rows, ruleTable);
  },
});
