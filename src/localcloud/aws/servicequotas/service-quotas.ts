import { randomUUID } from 'node:crypto';
import type { Store } from '../../../store/database.js';
import { SETTING } from '../emulator-settings.js';
import { carriesNul, NUL_REFUSED } from '../../common/nul-character.js';
import { findRegion } from '../geography.js';
import { requestId as newRequestId } from '../ids.js';
import type { Account } from '../model.js';
import { parseAuthorization, verifySignature, type SignedRequest } from '../sigv4.js';
import type { QuotaRequest } from '../store/quotas.repository.js';
import { repositories, type Repositories } from '../store/repositories.js';
import { inLocalCloudTransaction, localCloudDb } from '../store/schema.js';
import { findQuota, QUOTA_CATALOGUE, type QuotaDefinition } from './quota-catalogue.js';
import { appliedQuota } from './quota-values.js';

/** The JSON 1.1 target prefix of AWS Service Quotas (`X-Amz-Target: ServiceQuotasV20190624.GetServiceQuota`). */
export const SERVICE_QUOTAS_TARGET = 'ServiceQuotasV20190624.';
/** How long an increase request stays open when nothing was configured: long enough to see it pending. */
const DEFAULT_APPROVAL_MS = 5_000;

/** A Service Quotas error: `__type` and `Message` in the body, as AWS's JSON protocols answer. */
class QuotasError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface QuotasAnswer {
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
  readonly internalError?: unknown;
}

interface QuotasContext {
  readonly repos: Repositories;
  readonly account: Account;
  readonly region: string;
  readonly now: Date;
  readonly input: Record<string, unknown>;
  readonly approvalMs: number;
}

type QuotasAction = (ctx: QuotasContext) => Promise<unknown>;

/**
 * Answers one AWS Service Quotas request (JSON 1.1 over POST, SigV4 scoped to `servicequotas`):
 * GetServiceQuota, GetAWSDefaultServiceQuota, ListServiceQuotas, RequestServiceQuotaIncrease,
 * GetRequestedServiceQuotaChange and ListRequestedServiceQuotaChangeHistoryByQuota for the quotas
 * of quota-catalogue.ts. An increase request is approved `quota_approval_ms` after it was made.
 */
export async function answerServiceQuotas(store: Store, now: () => Date, request: SignedRequest): Promise<QuotasAnswer> {
  const requestId = newRequestId();
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(SERVICE_QUOTAS_TARGET.length);
    const action = Object.hasOwn(ACTIONS, operation) ? ACTIONS[operation] : undefined;
    const { account, region } = await authenticateQuotas(store, request);
    if (!action) throw new QuotasError('UnknownOperationException', `Unknown operation ${operation}`);
    if (carriesNul(request.path, request.query, request.headers['content-type'], request.body)) throw new QuotasError('ValidationException', NUL_REFUSED);
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body.toString('utf8') || '{}');
      input = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new QuotasError('SerializationException', 'The request body is not valid JSON');
    }
    const body = await inLocalCloudTransaction(store, async (trx) => {
      const repos = repositories(trx);
      const approval = Number(await repos.control.getSetting(SETTING.quotaApprovalMs));
      return action({ repos, account, region, now: now(), input, approvalMs: Number.isFinite(approval) && approval >= 0 ? approval : DEFAULT_APPROVAL_MS });
    });
    return { status: 200, body: JSON.stringify(body), requestId };
  } catch (error) {
    if (error instanceof QuotasError) return { status: error.status, body: JSON.stringify({ __type: error.type, Message: error.message }), requestId };
    return { status: 500, body: JSON.stringify({ __type: 'ServiceException', Message: 'An internal error has occurred' }), requestId, internalError: error };
  }
}

async function authenticateQuotas(store: Store, request: SignedRequest): Promise<{ account: Account; region: string }> {
  const header = request.headers.authorization;
  const parsed = parseAuthorization(Array.isArray(header) ? header[0] : (header as string | undefined));
  if (parsed === undefined) throw new QuotasError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  if ('kind' in parsed) throw new QuotasError('InvalidSignatureException', parsed.kind === 'malformed' ? parsed.detail : 'The request signature is not valid.', 400);
  if (!findRegion(parsed.region)) throw new QuotasError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${parsed.region}'.`);
  if (parsed.service !== 'servicequotas') throw new QuotasError('InvalidSignatureException', "Credential should be scoped to correct service: 'servicequotas'.");
  const account = await repositories(localCloudDb(store)).control.findAccountByAccessKey(parsed.accessKeyId);
  if (!account) throw new QuotasError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (verifySignature(request, parsed, account.secretAccessKey, new Date())) {
    throw new QuotasError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
  }
  return { account, region: parsed.region };
}

function text(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '')
    throw new QuotasError(
      'ValidationException',
      `1 validation error detected: Value at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

function knownQuota(input: Record<string, unknown>): QuotaDefinition {
  const serviceCode = text(input, 'ServiceCode');
  const quotaCode = text(input, 'QuotaCode');
  const quota = findQuota(serviceCode, quotaCode);
  if (!quota) throw new QuotasError('NoSuchResourceException', `The request failed because the specified quota ${quotaCode} of service ${serviceCode} does not exist.`);
  return quota;
}

function quotaArn(ctx: QuotasContext, quota: QuotaDefinition): string {
  return `arn:aws:servicequotas:${ctx.region}:${ctx.account.accountId}:${quota.serviceCode}/${quota.quotaCode}`;
}

function renderQuota(ctx: QuotasContext, quota: QuotaDefinition, value: number): Record<string, unknown> {
  return {
    ServiceCode: quota.serviceCode,
    ServiceName: quota.serviceName,
    QuotaArn: quotaArn(ctx, quota),
    QuotaCode: quota.quotaCode,
    QuotaName: quota.quotaName,
    Value: value,
    Unit: 'None',
    Adjustable: quota.adjustable,
    GlobalQuota: false,
    QuotaAppliedAtLevel: 'ACCOUNT',
  };
}

function renderRequest(ctx: QuotasContext, request: QuotaRequest): Record<string, unknown> {
  const quota = findQuota(request.serviceCode, request.quotaCode)!;
  return {
    Id: request.id,
    CaseId: request.caseId,
    ServiceCode: quota.serviceCode,
    ServiceName: quota.serviceName,
    QuotaCode: quota.quotaCode,
    QuotaName: quota.quotaName,
    DesiredValue: request.desiredValue,
    Status: request.status,
    Created: request.createdAt.getTime() / 1000,
    LastUpdated: request.createdAt.getTime() / 1000,
    Requester: `arn:aws:iam::${ctx.account.accountId}:root`,
    QuotaArn: quotaArn(ctx, quota),
    GlobalQuota: false,
    Unit: 'None',
    QuotaRequestedAtLevel: 'ACCOUNT',
  };
}

const ACTIONS: Readonly<Record<string, QuotasAction>> = {
  async GetServiceQuota(ctx) {
    const quota = knownQuota(ctx.input);
    return { Quota: renderQuota(ctx, quota, await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region, quota, ctx.now)) };
  },
  async GetAWSDefaultServiceQuota(ctx) {
    const quota = knownQuota(ctx.input);
    return { Quota: renderQuota(ctx, quota, quota.defaultValue) };
  },
  async ListServiceQuotas(ctx) {
    const serviceCode = text(ctx.input, 'ServiceCode');
    const quotas = QUOTA_CATALOGUE.filter((q) => q.serviceCode === serviceCode);
    const rendered = [];
    for (const quota of quotas) rendered.push(renderQuota(ctx, quota, await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region, quota, ctx.now)));
    return { Quotas: rendered };
  },
  async RequestServiceQuotaIncrease(ctx) {
    const quota = knownQuota(ctx.input);
    const desired = ctx.input.DesiredValue;
    if (typeof desired !== 'number' || !Number.isFinite(desired))
      throw new QuotasError('ValidationException', "1 validation error detected: Value at 'desiredValue' failed to satisfy constraint: Member must not be null");
    if (!quota.adjustable) throw new QuotasError('QuotaExceededException', `The quota ${quota.quotaCode} is not adjustable.`);
    const current = await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region, quota, ctx.now);
    if (desired <= current) throw new QuotasError('IllegalArgumentException', `The requested value ${desired} must be greater than the current value ${current}.`);
    const open = (await ctx.repos.quotas.listRequests(ctx.account.accountId, ctx.region, quota.serviceCode, quota.quotaCode)).find(
      (r) => r.status === 'PENDING' || r.status === 'CASE_OPENED',
    );
    if (open) throw new QuotasError('ResourceAlreadyExistsException', `A request for quota ${quota.quotaCode} is already open (${open.id}).`);
    const request: QuotaRequest = {
      id: randomUUID().replace(/-/g, ''),
      caseId: String(10_000_000_000 + Math.floor(Math.random() * 89_999_999_999)),
      accountId: ctx.account.accountId,
      region: ctx.region,
      serviceCode: quota.serviceCode,
      quotaCode: quota.quotaCode,
      desiredValue: desired,
      status: 'CASE_OPENED',
      createdAt: ctx.now,
      approveAt: new Date(ctx.now.getTime() + ctx.approvalMs),
    };
    await ctx.repos.quotas.insertRequest(request);
    return { RequestedQuota: renderRequest(ctx, request) };
  },
  async GetRequestedServiceQuotaChange(ctx) {
    const id = text(ctx.input, 'RequestId');
    await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region, QUOTA_CATALOGUE[0]!, ctx.now);
    const request = await ctx.repos.quotas.findRequest(id);
    if (!request || request.accountId !== ctx.account.accountId) throw new QuotasError('NoSuchResourceException', `The request ${id} does not exist.`);
    return { RequestedQuota: renderRequest(ctx, request) };
  },
  async ListRequestedServiceQuotaChangeHistoryByQuota(ctx) {
    const quota = knownQuota(ctx.input);
    await appliedQuota(ctx.repos, ctx.account.accountId, ctx.region, quota, ctx.now);
    const requests = await ctx.repos.quotas.listRequests(ctx.account.accountId, ctx.region, quota.serviceCode, quota.quotaCode);
    return { RequestedQuotas: requests.map((r) => renderRequest(ctx, r)) };
  },
};
