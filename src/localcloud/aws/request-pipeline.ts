import type { Store } from '../../store/database.js';
import type { ActionContext } from './action-context.js';
import { authenticate, scopeService, SIGNING_SERVICE, type QueryProtocol } from './auth.js';
import { AwsQueryError, isAwsQueryError } from './aws-query-error.js';
import { EC2_ACTIONS } from './ec2/ec2-actions.js';
import { ensureDefaultVpc } from './ec2/network-factory.js';
import { ec2ErrorBody, ec2SuccessBody } from './ec2-xml.js';
import { ELBV2_ACTIONS } from './elbv2/elbv2-actions.js';
import { elbv2ErrorBody, elbv2SuccessBody } from './elbv2-xml.js';
import { REQUEST_SETTINGS, settingsFrom } from './emulator-settings.js';
import { DEFAULT_TIMEOUT_FAULT_MS } from '../common/faults.js';
import { scheduled } from '../common/transitions.js';
import type { LoopbackRange } from '../common/loopback.js';
import { faultError } from './fault-error.js';
import { carriesNul, NUL_REFUSED } from '../common/nul-character.js';
import { requestId as newRequestId } from './ids.js';
import { advanceDueRows, settledAtOnce, type DueSteps, type SteppedRow } from './lazy-transitions.js';
import type { StoredFault } from '../common/faults.js';
import { QueryParams } from './query-params.js';
import type { ControlRepository } from './store/control.repository.js';
import { inLocalCloudTransaction, localCloudDb, readLocalCloud } from './store/schema.js';
import type { CommitNotice } from '../common/emulator-lock.js';
import { repositories } from './store/repositories.js';
import type { SignedRequest } from './sigv4.js';

/**
 * The actions that only read the emulator's tables: they may run without the emulator lock
 * (answerQuery). A read-only transaction refuses any write one of them would attempt.
 */
const LOCK_FREE_READS: ReadonlySet<string> = new Set([
  'DescribeRegions',
  'DescribeAvailabilityZones',
  'DescribeVpcs',
  'DescribeSubnets',
  'DescribeSecurityGroups',
  'DescribeSecurityGroupRules',
  'DescribeVpcEndpoints',
  'DescribeVpcEndpointServices',
  'DescribeVpcEndpointServiceConfigurations',
  'DescribeVpcEndpointServicePermissions',
  'DescribeVpcEndpointConnections',
  'DescribeVpcEndpointConnectionNotifications',
  'DescribeNetworkInterfaces',
  'DescribeTags',
  'DescribeVpcPeeringConnections',
  'DescribeRouteTables',
  'DescribeVpnGateways',
  'DescribeLoadBalancers',
  'DescribeTargetGroups',
  'DescribeTargetGroupAttributes',
  'DescribeTargetHealth',
  'DescribeListeners',
  'DescribeTags',
]);

/** Versions of the two Query APIs. */
const VERSIONS: Readonly<Record<string, QueryProtocol>> = { '2016-11-15': 'ec2', '2015-12-01': 'elbv2' };

/** What the pipeline needs from its owner. */
export interface PipelineOptions {
  readonly store: Store;
  /** The emulated clock for resource timestamps and transitions. */
  readonly now: () => Date;
  readonly loopback: LoopbackRange;
  /** Called after a committed change that may affect the data plane (not awaited: listeners re-read). */
  readonly changed: () => Promise<void>;
  /** The same notification, sent by a request that changes the cloud when its transaction commits. */
  readonly changeNotice: CommitNotice;
  /** The emulator's knowledge of its first due lazy step (lazy-transitions.ts). */
  readonly dueSteps: DueSteps;
}

/** A finished answer; `holdMs` > 0 when a timeout fault says to hold it back that long. */
export interface QueryAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly requestId: string;
  readonly holdMs: number;
  /** For a 500: the unexpected error behind it (for the owner's log; never sent to the client). */
  readonly internalError?: unknown;
}

function pickProtocol(params: QueryParams, request: SignedRequest): QueryProtocol {
  const version = params.get('Version');
  const known = version && Object.hasOwn(VERSIONS, version) ? VERSIONS[version] : undefined;
  if (known) return known;
  const header = request.headers.authorization;
  return scopeService(Array.isArray(header) ? header[0] : (header as string | undefined)) === SIGNING_SERVICE.elbv2 ? 'elbv2' : 'ec2';
}

function errorAnswer(protocol: QueryProtocol, error: AwsQueryError, requestId: string): QueryAnswer {
  const body = protocol === 'ec2' ? ec2ErrorBody(error, requestId) : elbv2ErrorBody(error, requestId);
  return { status: error.status, contentType: protocol === 'ec2' ? 'text/xml;charset=UTF-8' : 'text/xml', body, requestId, holdMs: 0 };
}

/**
 * Answers one Query request (EC2 or ELBv2, picked by `Version`, else by the signing service):
 * authenticate, apply a configured fault, then run the action in one transaction that first
 * takes the emulator lock, makes the caller's default VPC on first use of a region and advances
 * due lazy transitions. AWS errors become the protocol's error document; anything else a 500.
 */
export async function answerQuery(options: PipelineOptions, request: SignedRequest): Promise<QueryAnswer> {
  const requestId = newRequestId();
  const params = QueryParams.parse(request.method.toUpperCase() === 'POST' ? request.body.toString('utf8') : '', request.query);
  const protocol = pickProtocol(params, request);
  const db = localCloudDb(options.store);
  const control = repositories(db).control;
  try {
    const version = params.get('Version');
    if (version && !Object.hasOwn(VERSIONS, version))
      throw new AwsQueryError('NoSuchVersion', `The requested version (${version}) of service ${SIGNING_SERVICE[protocol]} does not exist`);
    const { account, region } = await authenticate(request, protocol, (key) => knownAccount(control, key), new Date());
    if (carriesNul(request.path, request.query, request.headers['content-type'], request.body)) {
      throw new AwsQueryError(protocol === 'ec2' ? 'InvalidParameterValue' : 'ValidationError', NUL_REFUSED);
    }
    const action = params.get('Action');
    if (!action) throw new AwsQueryError('MissingAction', 'The request must contain the parameter Action');
    const actions = protocol === 'ec2' ? EC2_ACTIONS : ELBV2_ACTIONS;
    const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (!handler) {
      throw new AwsQueryError(
        'InvalidAction',
        protocol === 'ec2' ? `The action ${action} is not valid for this web service.` : `Could not find operation ${action} for version 2015-12-01`,
      );
    }
    let advanced = false;
    const regionKey = `${account.accountId}/${region.regionName}`;
    const regionKnown = madeRegions(options.store).has(regionKey);
    const dryRun = protocol === 'ec2' && params.get('DryRun')?.toLowerCase() === 'true';
    // The kinds of rows the action gave a step due at once that it could not write already past
    // (ActionContext.schedule): applied before commit.
    const dueNow = new Set<SteppedRow>();
    const contextOf = (repos: ActionContext['repos'], now: Date, settings: ReturnType<typeof settingsFrom>): ActionContext => ({
      repos,
      account,
      region,
      now,
      delays: settings.delays,
      loopback: options.loopback,
      unavailableWindowMs: settings.unavailableWindowMs,
      isProvider: settings.providerAccountId === account.accountId,
      action,
      params,
      schedule(state, nextState, afterMs, row) {
        const shown = scheduled(state, nextState, afterMs, now);
        const settled = afterMs <= 0 ? settledAtOnce(row, shown, now, settings.delays) : undefined;
        if (settled) return { shown, stored: settled, entered: settled.entered };
        if (afterMs <= 0) dueNow.add(row);
        return { shown, stored: shown, entered: [] };
      },
    });
    // A pure read runs without the emulator lock on one consistent picture when no fault is set
    // for it and nothing in it is due, all asked in its first query: it then sees exactly what a
    // locked request would at that instant. Otherwise (a fault to take, a step due, a dry run, or
    // the region's default VPC still to be made) it goes the way of every other request below.
    let inputs: Awaited<ReturnType<ControlRepository['requestInputs']>> | undefined;
    const read =
      regionKnown && !dryRun && LOCK_FREE_READS.has(action)
        ? await readLocalCloud(options.store, async (trx) => {
            const repos = repositories(trx);
            const now = options.now();
            inputs = await repos.control.requestInputs(action, REQUEST_SETTINGS, true);
            if (inputs.faultSet || (inputs.firstDueAt && inputs.firstDueAt.getTime() <= now.getTime())) return undefined;
            return { body: await handler(contextOf(repos, now, settingsFrom(inputs.settings))) };
          })
        : undefined;
    // A fault is taken on its own (atomically, committed before the action runs, whatever the
    // action then does), and the request answered as it says or run as if none were set.
    let fault: StoredFault | undefined;
    let faultTaken = false;
    const takeFault = async (): Promise<void> => {
      faultTaken = true;
      fault = await control.takeFault(action);
      const injected = fault && faultError(fault, protocol);
      if (injected) throw injected;
    };
    if (!read && inputs?.faultSet) await takeFault();
    let body = read?.body;
    const describes = action.startsWith('Describe');
    while (body === undefined) {
      const done = await inLocalCloudTransaction(
        options.store,
        async (trx) => {
          const repos = repositories(trx);
          const now = options.now();
          // Under the lock, in one query: the fault switch, the settings (they change only through
          // the control API: a request racing a change may see either, as with AWS) and, unless this
          // emulator knows, when the first lazy step falls due.
          const known = options.dueSteps.knowsNothingDue(now);
          const seen = await repos.control.requestInputs(action, REQUEST_SETTINGS, !known);
          if (seen.faultSet && !faultTaken) return undefined;
          if (dryRun) throw new AwsQueryError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
          const settings = settingsFrom(seen.settings);
          if (!regionKnown)
            await ensureDefaultVpc({ repos, accountId: account.accountId, region, now, loopback: options.loopback }, settings.providerAccountId === account.accountId);
          advanced = await options.dueSteps.advance(repos, now, settings.delays, known ? undefined : (seen.firstDueAt ?? null));
          const result = await handler(contextOf(repos, now, settings));
          // A step the action made due at once and could not write past (it has a side effect of its
          // own) is applied now, under the lock and in the action's transaction, instead of by
          // whichever request comes next (which would then have to take the lock to apply it, even
          // a read).
          if (dueNow.size > 0) await advanceDueRows(repos, now, settings.delays, dueNow);
          // Still under the lock: a request after this one must not trust a due time seen before it.
          if (!describes) options.dueSteps.forget();
          return { result };
        },
        describes ? undefined : options.changeNotice,
      );
      if (done) body = done.result;
      else await takeFault();
    }
    if (!regionKnown) madeRegions(options.store).add(regionKey);
    // A request that changes the cloud sent its notification as it committed; a Describe tells
    // only when it applied steps that fell due.
    if (advanced && describes) void options.changed().catch(() => undefined);
    return {
      status: 200,
      contentType: protocol === 'ec2' ? 'text/xml;charset=UTF-8' : 'text/xml',
      body: protocol === 'ec2' ? ec2SuccessBody(action, requestId, body) : elbv2SuccessBody(action, requestId, body),
      requestId,
      holdMs: fault?.kind === 'timeout' ? (fault.ms ?? DEFAULT_TIMEOUT_FAULT_MS) : 0,
    };
  } catch (error) {
    if (isAwsQueryError(error)) return errorAnswer(protocol, error, requestId);
    const internal =
      protocol === 'ec2' ? new AwsQueryError('InternalError', 'An internal error has occurred', 500) : new AwsQueryError('InternalFailure', 'An internal error has occurred', 500);
    return { ...errorAnswer(protocol, internal, requestId), internalError: error };
  }
}

/**
 * The account regions whose default VPC is made, per store: made once on first use and recorded
 * for good (even if the customer later deletes that VPC, AWS does not make it again), so a
 * committed first request lets every later one skip the check.
 */
const regionsMade = new WeakMap<Store, Set<string>>();
function madeRegions(store: Store): Set<string> {
  let made = regionsMade.get(store);
  if (!made) regionsMade.set(store, (made = new Set()));
  return made;
}

/** Accounts never change once made: remembered per access key after the first lookup. */
const accounts = new Map<string, Awaited<ReturnType<ControlRepository['findAccountByAccessKey']>>>();
async function knownAccount(control: ControlRepository, accessKeyId: string) {
  const hit = accounts.get(accessKeyId);
  if (hit) return hit;
  const account = await control.findAccountByAccessKey(accessKeyId);
  if (account && accounts.size < 10_000) accounts.set(accessKeyId, account);
  return account;
}
