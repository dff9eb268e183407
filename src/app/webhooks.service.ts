import { randomBytes } from 'node:crypto';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { MAX_WEBHOOKS_PER_PROJECT, type Webhook, type WebhookAttempt, type WebhookWithSecret } from '../domain/webhook.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';

/** What creating a webhook takes: where to deliver, and optionally the signing secret. */
export interface WebhookInput {
  readonly url: string;
  /** Generated (32 random bytes, hex) when absent. */
  readonly secret?: string;
}

/** A page of a webhook's delivery log. */
export interface AttemptPage {
  readonly attempts: WebhookAttempt[];
  readonly total: number;
  readonly pageNum: number;
  readonly itemsPerPage: number;
}

const MAX_URL = 2048;

/**
 * Validates a create body: `url` (http or https, no credentials in it, at most 2048 characters),
 * `secret` (optional; 16 to 256 characters). Throws the Atlas-style error of the first problem.
 */
export function parseWebhookInput(body: unknown): WebhookInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError('INVALID_JSON');
  const { url, secret, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw apiError('INVALID_ATTRIBUTE', extra);
  if (url === undefined) throw apiError('MISSING_ATTRIBUTE', 'url');
  if (typeof url !== 'string' || url.length > MAX_URL) throw apiError('INVALID_ATTRIBUTE', 'url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw apiError('INVALID_ATTRIBUTE', 'url');
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username !== '' || parsed.password !== '') throw apiError('INVALID_ATTRIBUTE', 'url');
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16 || secret.length > 256)) throw apiError('INVALID_ATTRIBUTE', 'secret');
  return secret === undefined ? { url: parsed.href } : { url: parsed.href, secret };
}

/**
 * Creates a webhook (Project Owner). The URL must be one the operator allows, checked on its
 * resolved addresses now and again at every delivery. Returns the webhook with its secret: the
 * only time the secret is shown.
 */
export async function createWebhook(ctx: AppContext, principal: Principal, projectId: string, input: WebhookInput): Promise<WebhookWithSecret> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const refusal = ctx.settings.webhookTargets ? await ctx.settings.webhookTargets(new URL(input.url)) : 'no webhook destinations are allowed on this deployment';
  if (refusal !== null) throw apiError('WEBHOOK_URL_NOT_ALLOWED', input.url, refusal);
  return inTransaction(ctx, async ({ repos }) => {
    await requireProject(repos, principal, projectId, 'write', { lock: true });
    const existing = await repos.webhooks.listByProject(projectId);
    if (existing.length >= MAX_WEBHOOKS_PER_PROJECT) throw apiError('WEBHOOK_LIMIT_EXCEEDED', projectId, MAX_WEBHOOKS_PER_PROJECT);
    const now = ctx.now();
    const webhook: WebhookWithSecret = {
      id: newObjectId(now),
      projectId,
      url: input.url,
      secret: input.secret ?? randomBytes(32).toString('hex'),
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
      createdAt: now,
    };
    await repos.webhooks.insert(webhook);
    return webhook;
  });
}

/** A project's webhooks (Project Read Only), without secrets. */
export async function listWebhooks(ctx: AppContext, principal: Principal, projectId: string): Promise<Webhook[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return repos.webhooks.listByProject(projectId);
}

export async function getWebhook(ctx: AppContext, principal: Principal, projectId: string, webhookId: string): Promise<Webhook> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return found(await repos.webhooks.find(projectId, webhookId), projectId, webhookId);
}

/** Deletes a webhook (Project Owner): nothing more is delivered to it, and its log goes with it. */
export async function deleteWebhook(ctx: AppContext, principal: Principal, projectId: string, webhookId: string): Promise<void> {
  await inTransaction(ctx, async ({ repos }) => {
    await requireProject(repos, principal, projectId, 'write');
    if (!(await repos.webhooks.delete(projectId, webhookId))) throw apiError('WEBHOOK_NOT_FOUND', webhookId, projectId);
  });
}

/**
 * Enables a webhook again after it was disabled (Project Owner). Its URL is checked against the
 * allow list again; deliveries queued before it was disabled go out from the oldest.
 */
export async function enableWebhook(ctx: AppContext, principal: Principal, projectId: string, webhookId: string): Promise<Webhook> {
  const webhook = await getWebhookForWrite(ctx, principal, projectId, webhookId);
  const refusal = ctx.settings.webhookTargets ? await ctx.settings.webhookTargets(new URL(webhook.url)) : 'no webhook destinations are allowed on this deployment';
  if (refusal !== null) throw apiError('WEBHOOK_URL_NOT_ALLOWED', webhook.url, refusal);
  return inTransaction(ctx, async ({ repos }) => {
    if (!(await repos.webhooks.enable(projectId, webhookId))) throw apiError('WEBHOOK_NOT_FOUND', webhookId, projectId);
    return found(await repos.webhooks.find(projectId, webhookId), projectId, webhookId);
  });
}

/** A webhook's delivery log (Project Read Only): one row per attempt, newest first; paging `itemsPerPage` (≤500), `pageNum`. */
export async function listDeliveryAttempts(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  webhookId: string,
  query: { itemsPerPage?: string; pageNum?: string },
): Promise<AttemptPage> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  found(await repos.webhooks.find(projectId, webhookId), projectId, webhookId);
  const itemsPerPage = intParam(query.itemsPerPage, 'itemsPerPage', 100, 1, 500);
  const pageNum = intParam(query.pageNum, 'pageNum', 1, 1, 1_000_000);
  const { attempts, total } = await repos.webhooks.listAttempts(webhookId, itemsPerPage, (pageNum - 1) * itemsPerPage);
  return { attempts, total, pageNum, itemsPerPage };
}

async function getWebhookForWrite(ctx: AppContext, principal: Principal, projectId: string, webhookId: string): Promise<Webhook> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'write');
  return found(await repos.webhooks.find(projectId, webhookId), projectId, webhookId);
}

function found(webhook: Webhook | undefined, projectId: string, webhookId: string): Webhook {
  if (!webhook) throw apiError('WEBHOOK_NOT_FOUND', webhookId, projectId);
  return webhook;
}

function intParam(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw apiError('INVALID_QUERY_PARAMETER', name);
  return n;
}
