import type { IncomingHttpHeaders } from 'node:http';
import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.js';
import type { DueMemory } from '../common/due-memory.js';
import type { VerifiedTokens } from '../common/verified-tokens.js';
import { DEFAULT_TIMEOUT_FAULT_MS } from '../common/faults.js';
import { carriesNul, NUL_REFUSED } from '../common/nul-character.js';
import { answerToken, authenticate } from './auth.js';
import { ComputeError, computeErrors, isComputeError } from './compute-error.js';
import type { ComputeAnswer, ComputeContext, GcpQuotas } from './compute-context.js';
import { apiResourceName, parseComputeRoute } from './compute-routes.js';
import { parseGcpDelays } from './delays.js';
import { OPERATION_RETENTION_MS, renderOperation } from './operations.js';
import { parseComputeBody } from './request-body.js';
import { answerProject, answerRegion } from './project-region.handler.js';
import { answerResource } from './resources.handler.js';
import { kindFor } from './resources/registry.js';
import type { StoredProject } from './store/control.repository.js';
import type { StoredFault } from '../common/faults.js';
import { gcpRepositories, inGcpTransaction } from './store/repositories.js';
import { gcpDb, type GcpSchema, type JsonObject } from './store/schema.js';

/** Setting key of the stored delays (JSON of GcpDelays). */
export const DELAYS_SETTING = 'delays';

/** What the pipeline needs from its owner. */
export interface GcpPipelineOptions {
  readonly store: Store;
  /** The emulated clock for operations and visibility (tokens use the wall clock). */
  readonly now: () => Date;
  readonly baseUrl: () => string;
  readonly pageSize: number;
  /** How long `…/wait` waits for an operation to be DONE before answering it RUNNING. */
  readonly operationWaitMs: number;
  readonly quotas: GcpQuotas;
  /** Announces a committed change. */
  readonly changed: () => Promise<void>;
  /** When the store next has gone resources or expired operations to forget (common/due-memory.ts). */
  readonly due: DueMemory;
  /** Access tokens this process verified before. */
  readonly verified: VerifiedTokens<StoredProject>;
}

/** One HTTP request, read. */
export interface ComputeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const REGION = /^[a-z]+-[a-z]+\d+$/;
/** `projects.get` and `regions.get`: `/compute/v1/projects/{project}[/regions/{region}]`. */
const PROJECT_OR_REGION = /^\/compute\/v1\/projects\/([^/]+)(?:\/regions\/([^/]+))?\/?$/;
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;
const WAIT_POLL_MS = 100;
/** A UUID other than the zero UUID (Compute's rule for `requestId`). */
const UUID = /^(?!0{8}-0{4}-0{4}-0{4}-0{12}$)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The method id of a request (`compute.forwardingRules.insert`), which names faults and permissions. */
function methodId(apiResource: string, method: string, hasName: boolean, verb: string | undefined): string {
  if (verb) return `compute.${apiResource}.${verb}`;
  const word = method === 'GET' ? (hasName ? 'get' : 'list') : method === 'POST' ? 'insert' : method === 'DELETE' ? 'delete' : method === 'PATCH' ? 'patch' : method.toLowerCase();
  return `compute.${apiResource}.${word}`;
}

/**
 * Answers one request: `POST /token` without authentication; every Compute call authenticated
 * (bearer: self-signed JWT or issued token), authorised (the caller's own project only, else 403
 * with the permission it lacks), a configured fault applied, the body parsed, then run in one
 * transaction under the emulator lock after purging finished deletions. `…/wait` waits (outside
 * the transaction) until the operation is DONE or `operationWaitMs` passed. Compute errors
 * become their JSON body; anything else a 500.
 */
export async function answerCompute(options: GcpPipelineOptions, request: ComputeRequest): Promise<ComputeAnswer & { internalError?: unknown }> {
  const method = request.method.toUpperCase();
  const repos = gcpRepositories(gcpDb(options.store));
  try {
    if (request.path === '/token') {
      if (method !== 'POST') throw computeErrors.methodNotAllowed(method);
      const answer = await options.store.transaction(async (raw) =>
        answerToken({ repos: gcpRepositories(raw as unknown as Transaction<GcpSchema>), baseUrl: options.baseUrl(), now: new Date() }, request.body),
      );
      return { status: answer.status, body: answer.body as JsonObject };
    }
    const principal = await authenticate({ repos, baseUrl: options.baseUrl(), now: new Date(), verified: options.verified }, request.headers.authorization);
    if (carriesNul(request.path, request.query.toString(), request.headers['content-type'], request.body)) throw computeErrors.invalid(NUL_REFUSED);
    const described = PROJECT_OR_REGION.exec(request.path);
    if (described) {
      const [, named, region] = described.map((part) => (part === undefined ? undefined : decodeURIComponent(part)));
      const id = region === undefined ? 'compute.projects.get' : 'compute.regions.get';
      if (method !== 'GET') throw computeErrors.methodNotAllowed(method);
      const project = named === principal.projectNumber ? principal.projectId : named!;
      if (project !== principal.projectId) throw computeErrors.forbidden(id, `projects/${named}${region === undefined ? '' : `/regions/${region}`}`);
      if (region !== undefined && !REGION.test(region)) throw computeErrors.notFound(`projects/${project}/regions/${region}`);
      return await transact(options, principal, request.query, false, { id, taken: false, fault: undefined }, (ctx) =>
        region === undefined ? answerProject(ctx, project) : answerRegion(ctx, project, region),
      );
    }
    const route = parseComputeRoute(request.path);
    if (route.kind === 'unknown') throw computeErrors.noRoute(method, request.path);
    const apiResource = apiResourceName(route.scope, route.collection);
    const id = methodId(apiResource, method, route.name !== undefined, route.verb);
    const project = route.project === principal.projectNumber ? principal.projectId : route.project;
    if (project !== principal.projectId) {
      throw computeErrors.forbidden(id, `projects/${route.project}/${route.scope}/${route.collection}${route.name ? `/${route.name}` : ''}`);
    }
    const scopeName = route.scope.split('/')[1];
    if (route.scope.startsWith('regions/') && !REGION.test(scopeName!)) throw computeErrors.notFound(`projects/${project}/${route.scope}`);
    if (route.scope.startsWith('zones/') && !ZONE.test(scopeName!)) throw computeErrors.notFound(`projects/${project}/${route.scope}`);
    const isOperation = route.collection === 'operations';
    const kind = isOperation ? undefined : kindFor(route.scope, route.collection);
    if (!isOperation && !kind) throw computeErrors.noRoute(method, request.path);
    const gate: FaultGate = { id, taken: false, fault: undefined };
    const writes = !isOperation && method !== 'GET' && route.verb !== 'listNetworkEndpoints';
    const run = () =>
      transact(options, principal, request.query, writes, gate, (ctx) => {
        // Parsed after the fault switch, as before it: a configured fault answers first.
        const input = method === 'POST' || method === 'PATCH' || method === 'PUT' ? parseComputeBody(request.body) : {};
        return dispatch(ctx, method, { project, scope: route.scope, collection: route.collection, name: route.name, verb: route.verb }, input, kind);
      });
    let answer = await run();
    if (isOperation && route.verb === 'wait') {
      const deadline = Date.now() + options.operationWaitMs;
      while (answer.body.status !== 'DONE' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(WAIT_POLL_MS, Math.max(1, deadline - Date.now()))));
        answer = await run();
      }
    }
    const fault = gate.fault;
    return fault?.kind === 'timeout' ? { ...answer, holdMs: fault.ms ?? DEFAULT_TIMEOUT_FAULT_MS } : answer;
  } catch (error) {
    if (isComputeError(error)) return { status: error.status, body: error.body() };
    const internal = computeErrors.internal();
    return { status: internal.status, body: internal.body(), internalError: error };
  }
}

/** A request's fault switch (by method id): taken at most once, then what it said. */
interface FaultGate {
  readonly id: string;
  taken: boolean;
  fault: StoredFault | undefined;
}

/**
 * Runs `work` in one transaction under the emulator lock. Its first query reads the fault switch,
 * the delays and (unless this process knows) when housekeeping falls due. A fault set and not yet
 * taken is taken on its own (atomically, committed whatever the request then does): an error or
 * throttle answers the request; otherwise it runs again as if none were set.
 */
async function transact(
  options: GcpPipelineOptions,
  principal: StoredProject,
  query: URLSearchParams,
  writes: boolean,
  gate: FaultGate,
  work: (ctx: ComputeContext) => Promise<ComputeAnswer>,
): Promise<ComputeAnswer> {
  for (;;) {
    let wrote = false;
    const answer = await inGcpTransaction(options.store, async (trx) => {
      const repos = gcpRepositories(trx);
      const now = options.now();
      const known = options.due.knowsNothingDue(now);
      const inputs = await repos.control.requestInputs(gate.id, DELAYS_SETTING, known ? undefined : OPERATION_RETENTION_MS);
      if (inputs.faultSet && !gate.taken) return undefined;
      // Reads already leave gone resources out: purging them and expired operations is housekeeping,
      // done when the store says one has fallen due.
      let purged = 0;
      if (!known && options.due.heard(inputs.firstDueAt, now)) {
        purged = await repos.resources.purgeGone(now);
        await repos.operations.forget(new Date(now.getTime() - OPERATION_RETENTION_MS));
      }
      const ctx: ComputeContext = {
        repos,
        now,
        delays: parseGcpDelays(inputs.setting),
        principal,
        baseUrl: options.baseUrl(),
        pageSize: options.pageSize,
        query,
        quotas: options.quotas,
      };
      const result = await work(ctx);
      // Still under the lock: a request after this one must not trust a due time read before it.
      if (writes) options.due.forget();
      wrote = purged > 0 || (writes && result.status === 200);
      return result;
    });
    if (answer) {
      if (wrote) await options.changed().catch(() => undefined);
      return answer;
    }
    gate.taken = true;
    gate.fault = await gcpRepositories(gcpDb(options.store)).control.takeFault(gate.id);
    if (gate.fault?.kind === 'error') throw new ComputeError(gate.fault.status ?? 500, gate.fault.code, gate.fault.message);
    if (gate.fault?.kind === 'throttle') throw computeErrors.rateLimited();
  }
}

async function dispatch(
  ctx: ComputeContext,
  method: string,
  route: { project: string; scope: string; collection: string; name: string | undefined; verb: string | undefined },
  input: JsonObject,
  kind: ReturnType<typeof kindFor>,
): Promise<ComputeAnswer> {
  if (route.collection === 'operations') {
    if (route.name === undefined) throw computeErrors.methodNotAllowed(method);
    const isWait = route.verb === 'wait' && method === 'POST';
    if (!(method === 'GET' && route.verb === undefined) && !isWait) throw computeErrors.methodNotAllowed(method);
    const op = await ctx.repos.operations.find(route.project, route.scope, route.name);
    if (!op) throw computeErrors.notFound(`projects/${route.project}/${route.scope}/operations/${route.name}`);
    return { status: 200, body: renderOperation(ctx, op) };
  }
  const requestId = ctx.query.get('requestId');
  if (requestId !== null && !UUID.test(requestId))
    throw computeErrors.invalidField('requestId', requestId, 'The request ID must be a valid UUID with the exception that zero UUID is not supported.');
  if (requestId && method !== 'GET' && !(route.verb === 'listNetworkEndpoints')) {
    const earlier = await ctx.repos.operations.findByRequestId(route.project, requestId);
    if (earlier) return { status: 200, body: renderOperation(ctx, earlier) };
  }
  const target = { project: route.project, scope: route.scope, collection: route.collection, ...(route.name !== undefined ? { name: route.name } : {}) };
  return answerResource(ctx, kind!, method, target, route.verb, input);
}
