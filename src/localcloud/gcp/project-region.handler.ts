import { createHash } from 'node:crypto';
import type { ComputeAnswer, ComputeContext } from './compute-context.js';
import { quotasOf } from './compute-quotas.js';
import { linkUrl } from './links.js';

/**
 * `GET /compute/v1/projects/{project}` (`projects.get`) and `GET /compute/v1/projects/{project}/regions/{region}`
 * (`regions.get`): the project and the region as Compute describes them, with their `quotas`
 * arrays (`{metric, limit, usage}`, compute-quotas.ts). Every region name of Compute's form is a
 * region that is UP with zones a, b and c. Call inside the request's transaction, after authorisation.
 */
export async function answerProject(ctx: ComputeContext, project: string): Promise<ComputeAnswer> {
  return {
    status: 200,
    body: {
      kind: 'compute#project',
      id: ctx.principal.projectNumber,
      name: project,
      defaultServiceAccount: `${ctx.principal.projectNumber}-compute@developer.gserviceaccount.com`,
      defaultNetworkTier: 'PREMIUM',
      xpnProjectStatus: 'UNSPECIFIED_XPN_PROJECT_STATUS',
      quotas: await quotasOf(ctx, project, undefined),
      selfLink: `${ctx.baseUrl}/compute/v1/projects/${project}`,
    },
  };
}

export async function answerRegion(ctx: ComputeContext, project: string, region: string): Promise<ComputeAnswer> {
  return {
    status: 200,
    body: {
      kind: 'compute#region',
      id: regionId(region),
      creationTimestamp: '1969-12-31T16:00:00.000-08:00',
      name: region,
      description: region,
      status: 'UP',
      zones: ['a', 'b', 'c'].map((z) => linkUrl(ctx.baseUrl, `projects/${project}/zones/${region}-${z}`)),
      quotas: await quotasOf(ctx, project, region),
      selfLink: linkUrl(ctx.baseUrl, `projects/${project}/regions/${region}`),
      supportsPzs: false,
    },
  };
}

/** A stable numeric id per region name (Compute's region ids are fixed numbers). */
function regionId(region: string): string {
  return String(1000 + (createHash('sha256').update(region).digest().readUInt32BE(0) % 9000));
}
