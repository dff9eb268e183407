import { defineCommand, OUTPUT_FLAG } from '../../framework/command-spec.js';
import { DATA_DIR_FLAG, withAdminStore } from './admin-store.js';
import type { CapacityLineWire } from '../../../api/atlas/wire/provider-capacity.wire.js';
import { capacityWire } from './provider-accounts/wire.js';

/** One row per account, region and limit (tab-separated; aligned on a terminal). */
function table(body: unknown): string {
  const rows = ['ACCOUNT\tSTATE\tREGION\tPLACEMENTS\tQUOTA\tUSED\tLIMIT\tLEFT\tPROVIDER'];
  for (const line of (body as { results: CapacityLineWire[] }).results) {
    if (line.limits.length === 0) rows.push([line.accountName, line.state, line.regionName, line.placements, '', '', '', '', line.providerName].join('\t'));
    for (const l of line.limits) {
      rows.push(
        [line.accountName, line.state, line.regionName, line.placements, `${l.quotaCode} ${l.quotaName}`, l.used, l.quota ?? '', l.left ?? '', line.providerName].join('\t'),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

/** `privlink admin capacity`: per pool account and region, each limit's quota, what is used and what is left. */
export const capacityCommand = defineCommand({
  name: 'capacity',
  summary: 'Show the provider capacity: per account and region, used / quota for each limit and what is left.',
  description:
    'Quotas are as the server last read them (AWS Service Quotas, Azure network usages) when it placed a service in the account and region. ' +
    'An empty LIMIT means the account was never read in that region yet.',
  flags: [DATA_DIR_FLAG, OUTPUT_FLAG],
  examples: ['privlink admin capacity', 'privlink admin capacity -o json'],
  async run(ctx) {
    ctx.outputFormat();
    const { capacityReport } = await import('../../../app/provider-accounts.service.js');
    const lines = (await withAdminStore(ctx, (app) => capacityReport(app))).map(capacityWire);
    ctx.print({ results: lines, totalCount: lines.length }, table);
  },
});
