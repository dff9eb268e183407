import type { Store } from '../../store/database.js';
import type { DueTransitions } from './advance.js';
import type { CommitNotice } from '../common/emulator-lock.js';
import type { VerifiedTokens } from '../common/verified-tokens.js';
import { checkApiVersion } from './api-versions.js';
import type { ArmAnswer, ArmRequest, HandlerContext } from './arm-request.js';
import { jsonAnswer, skipTokenPosition } from './arm-request.js';
import { ArmError, armErrors, isArmError } from './arm-error.js';
import { parseArmRoute, type ArmRoute } from './arm-routes.js';
import { parseAzureDelays } from './delays.js';
import { DEFAULT_TIMEOUT_FAULT_MS } from '../common/faults.js';
import { answerOpenIdConfiguration, answerToken, authenticate, malformedIdentityRequest } from './identity.js';
import { carriesNul, NUL_REFUSED } from '../common/nul-character.js';
import { KINDS } from './kinds/registry.js';
import { answerOperation } from './lro.js';
import { answerNetwork, kindOf, listPage, operationName } from './network.handler.js';
import { answerUsages } from './network-usages.js';
import { optString, parseBody } from './request-body.js';
import { isVisible } from './kinds/private-endpoints.kind.js';
import { answerResourceGroup } from './resource-groups.handler.js';
import type { AzureAccount, StoredAzureFault } from './store/control.repository.js';
import { azureRepositories, inAzureTransaction } from './store/repositories.js';
import { azureDb, type JsonObject } from './store/schema.js';

/** Setting key of the stored delays (JSON of AzureDelays). */
export const DELAYS_SETTING = 'delays';

/** What the pipeline needs from its owner. */
export interface AzurePipelineOptions {
  readonly store: Store;
  /** The emulated clock for provisioning and operations (tokens use the wall clock). */
  readonly now: () => Date;
  /** Where the emulator is served (`https://127.0.0.1:PORT`). */
  readonly baseUrl: () => string;
  readonly pageSize: number;
  /** Called after a committed change that may affect the data-plane view. */
  readonly changed: () => Promise<void>;
  /** The same notification, sent by a request that may change the cloud when its transaction commits. */
  readonly changeNotice: CommitNotice;
  /** The emulator's knowledge of when its first transition falls due (advance.ts). */
  readonly due: DueTransitions;
  /** Access tokens this process verified before. */
  readonly verified: VerifiedTokens<AzureAccount>;
}

const IDENTITY_CONFIG = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const IDENTITY_TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/** The namespace, type (for NoRegisteredProviderFound), ARM operation name and RBAC action of a route. */
function describe(route: ArmRoute, method: string): { namespace: 'resources' | 'network'; type: string; operation: string; action: string } {
  const verb = method === 'PUT' || method === 'PATCH' ? 'write' : method === 'DELETE' ? 'delete' : 'read';
  switch (route.kind) {
    case 'subscription':
      return { namespace: 'resources', type: 'subscriptions', operation: 'Subscriptions_Get', action: 'Microsoft.Resources/subscriptions/read' };
    case 'resourceGroups':
      return { namespace: 'resources', type: 'resourceGroups', operation: 'ResourceGroups_List', action: 'Microsoft.Resources/subscriptions/resourceGroups/read' };
    case 'resourceGroup': {
      const op = { GET: 'Get', HEAD: 'CheckExistence', PUT: 'CreateOrUpdate', PATCH: 'Update', DELETE: 'Delete' }[method] ?? 'Get';
      return { namespace: 'resources', type: 'resourceGroups', operation: `ResourceGroups_${op}`, action: `Microsoft.Resources/subscriptions/resourceGroups/${verb}` };
    }
    case 'groupOperation':
      return { namespace: 'resources', type: 'operationresults', operation: 'Operations_Get', action: 'Microsoft.Resources/subscriptions/operationresults/read' };
    case 'networkOperation':
      return {
        namespace: 'network',
        type: route.results ? 'locations/operationResults' : 'locations/operations',
        operation: 'Operations_Get',
        action: 'Microsoft.Network/locations/operations/read',
      };
    case 'visibilityCheck':
      return {
        namespace: 'network',
        type: 'locations/checkPrivateLinkServiceVisibility',
        operation: 'PrivateLinkServices_CheckPrivateLinkServiceVisibility',
        action: 'Microsoft.Network/locations/checkPrivateLinkServiceVisibility/action',
      };
    case 'usages':
      return { namespace: 'network', type: 'locations/usages', operation: 'Usages_List', action: 'Microsoft.Network/locations/usages/read' };
    case 'networkListAll': {
      const kind = KINDS.get(route.type.toLowerCase());
      return {
        namespace: 'network',
        type: route.type,
        operation: kind ? kind.operations.list.replace(/_List$/, '_ListAll') : 'Unknown',
        action: `Microsoft.Network/${route.type}/read`,
      };
    }
    case 'network': {
      const kind = kindOf(route.segments);
      const type = route.segments.map((s) => s.type).join('/');
      const isList = route.segments[route.segments.length - 1]!.name === undefined;
      return { namespace: 'network', type, operation: kind ? operationName(kind, method, isList) : 'Unknown', action: `Microsoft.Network/${type}/${verb}` };
    }
    default:
      return { namespace: 'network', type: 'unknown', operation: 'Unknown', action: 'unknown' };
  }
}

/**
 * Answers one request: Microsoft Entra ID's token endpoints without authentication; every ARM
 * call authenticated (bearer token), authorised (the principal's own subscription only, else 403
 * AuthorizationFailed), api-version checked, a configured fault applied, then run in one
 * transaction under the emulator lock after advancing due transitions. ARM errors become their
 * JSON body; anything else a 500 InternalServerError.
 */
export async function answerAzure(options: AzurePipelineOptions, request: ArmRequest): Promise<ArmAnswer> {
  const method = request.method.toUpperCase();
  const repos = azureRepositories(azureDb(options.store));
  try {
    const nul = carriesNul(request.path, request.query.toString(), request.headers['content-type'], request.body);
    const config = IDENTITY_CONFIG.exec(request.path);
    if (config && method === 'GET') return nul ? malformedIdentityRequest() : await answerOpenIdConfiguration(repos, options.baseUrl(), decodeURIComponent(config[1]!));
    const token = IDENTITY_TOKEN.exec(request.path);
    if (token && method === 'POST') return nul ? malformedIdentityRequest() : await answerToken(repos, decodeURIComponent(token[1]!), request.body, new Date());

    const principal = await authenticate(repos, request.headers.authorization, new Date(), options.verified);
    if (nul) throw new ArmError(400, 'InvalidRequestContent', NUL_REFUSED);
    const route = parseArmRoute(request.path);
    if (route.kind === 'unknown') throw armErrors.noRoute(method, request.path);
    const described = describe(route, method);
    if (route.subscriptionId.toLowerCase() !== principal.subscriptionId.toLowerCase()) {
      throw armErrors.authorizationFailed(principal.clientId, described.action, request.path);
    }
    if (route.kind === 'otherProvider') {
      throw new ArmError(
        409,
        'MissingSubscriptionRegistration',
        `The subscription is not registered to use namespace '${route.namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`,
      );
    }
    const apiVersion = request.query.get('api-version');
    checkApiVersion(apiVersion, described.namespace, described.type);
    // A fault is taken on its own (atomically, committed before the request runs, whatever it then
    // does), and the request answered as it says or run as if none were set.
    let fault: StoredAzureFault | undefined;
    let faultTaken = false;
    const takeFault = async (): Promise<void> => {
      faultTaken = true;
      fault = await repos.control.takeFault(described.operation);
      if (fault?.kind === 'error') throw new ArmError(fault.status ?? 500, fault.code, fault.message);
      if (fault?.kind === 'throttle') throw armErrors.throttled(fault.retryAfterSeconds ?? 1);
    };

    let advanced = false;
    const writes = method !== 'GET' && method !== 'HEAD';
    let answer: ArmAnswer | undefined;
    while (answer === undefined) {
      const done = await inAzureTransaction(
        options.store,
        async (trx) => {
          const trxRepos = azureRepositories(trx);
          const now = options.now();
          // Under the lock, in one query: the fault switch, the delays (they change only through the
          // control API: a request racing a change may see either, as with Azure) and, unless this
          // emulator knows, when the first transition falls due.
          const known = options.due.knowsNothingDue(now);
          const inputs = await trxRepos.control.requestInputs(described.operation, DELAYS_SETTING, !known);
          if (inputs.faultSet && !faultTaken) return undefined;
          const body = method === 'PUT' || method === 'PATCH' || method === 'POST' ? parseBody(request.body) : {};
          const ctx: HandlerContext = {
            repos: trxRepos,
            now,
            delays: parseAzureDelays(inputs.setting),
            principal,
            baseUrl: options.baseUrl(),
            apiVersion: apiVersion!,
            pageSize: options.pageSize,
            path: request.path,
            pageAfter: skipTokenPosition(request.query.get('$skiptoken')),
            ...(fault?.kind === 'failAsync' ? { asyncFailure: { code: fault.code, message: fault.message } } : {}),
          };
          advanced = await options.due.advance(ctx, known ? undefined : (inputs.firstDueAt ?? null));
          const result = await dispatch(ctx, route, method, principal, body);
          // Still under the lock: a request after this one must not trust a due time read before it.
          if (writes) options.due.forget();
          return { result };
        },
        // A request that may change the cloud sends its notification as it commits (a failed one sends none).
        writes ? options.changeNotice : undefined,
      );
      if (done) answer = done.result;
      else await takeFault();
    }
    if (advanced && !writes) await options.changed().catch(() => undefined);
    return fault?.kind === 'timeout' ? { ...answer, holdMs: fault.ms ?? DEFAULT_TIMEOUT_FAULT_MS } : answer;
  } catch (error) {
    if (isArmError(error)) return { status: error.status, headers: { ...error.headers }, body: error.body(), holdMs: 0 };
    const internal = armErrors.internal();
    return { status: internal.status, headers: {}, body: internal.body(), holdMs: 0, internalError: error };
  }
}

async function dispatch(ctx: HandlerContext, route: ArmRoute, method: string, principal: AzureAccount, body: JsonObject): Promise<ArmAnswer> {
  switch (route.kind) {
    case 'subscription':
      if (method !== 'GET') throw armErrors.methodNotAllowed(method);
      return jsonAnswer(200, {
        id: `/subscriptions/${principal.subscriptionId}`,
        subscriptionId: principal.subscriptionId,
        tenantId: principal.tenantId,
        displayName: `privlink local cloud (${principal.name})`,
        state: 'Enabled',
        subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
        authorizationSource: 'RoleBased',
      });
    case 'resourceGroups':
      return answerResourceGroup(ctx, method, principal.subscriptionId, undefined, body);
    case 'resourceGroup':
      return answerResourceGroup(ctx, method, principal.subscriptionId, route.resourceGroup, body);
    case 'groupOperation':
    case 'networkOperation':
      if (method !== 'GET') throw armErrors.methodNotAllowed(method);
      return route.kind === 'groupOperation' ? answerOperation(ctx, route.operationId, true, ctx.path, 200) : answerOperation(ctx, route.operationId, route.results, ctx.path);
    case 'networkListAll': {
      const kind = KINDS.get(route.type.toLowerCase());
      if (!kind || kind.parentType) throw armErrors.invalidResourceType(route.type, 'Microsoft.Network', ctx.apiVersion);
      if (method !== 'GET') throw armErrors.methodNotAllowed(method);
      return listPage(ctx, kind, { subscriptionId: principal.subscriptionId, type: kind.type });
    }
    case 'visibilityCheck': {
      if (method !== 'POST') throw armErrors.methodNotAllowed(method);
      const alias = optString(body.privateLinkServiceAlias, 'privateLinkServiceAlias') ?? '';
      return jsonAnswer(200, { visible: await isVisible(ctx, alias) });
    }
    case 'usages':
      if (method !== 'GET') throw armErrors.methodNotAllowed(method);
      return answerUsages(ctx, principal.subscriptionId, route.location);
    case 'network':
      return answerNetwork(ctx, method, { subscriptionId: principal.subscriptionId, resourceGroup: route.resourceGroup, segments: route.segments }, body);
    default:
      throw armErrors.noRoute(method, ctx.path);
  }
}
