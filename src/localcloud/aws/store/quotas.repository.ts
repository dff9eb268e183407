import { sql } from 'kysely';
import type { LcExecutor } from './schema.js';

/** An increase request as stored. */
export interface QuotaRequest {
  readonly id: string;
  readonly caseId: string;
  readonly accountId: string;
  readonly region: string;
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly desiredValue: number;
  readonly status: string;
  readonly createdAt: Date;
  readonly approveAt: Date;
}

/** The statuses of an increase request still waiting for its approval time. */
const DUE_STATUSES = ['PENDING', 'CASE_OPENED'];

/** Applied quota values and increase requests of the Service Quotas emulation. Thin queries. */
export class QuotasRepository {
  constructor(private readonly db: LcExecutor) {}

  /** The applied value of a quota after an approved increase; undefined while the default applies. */
  async appliedValue(accountId: string, region: string, serviceCode: string, quotaCode: string): Promise<number | undefined> {
    const row = await this.valueOf(accountId, region, serviceCode, quotaCode).executeTakeFirst();
    return row ? Number(row.value) : undefined;
  }

  /** The query of a quota's applied value (no row while the default applies). */
  private valueOf(accountId: string, region: string, serviceCode: string, quotaCode: string) {
    return this.db
      .selectFrom('lc_quota_values')
      .select('value')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('service_code', '=', serviceCode)
      .where('quota_code', '=', quotaCode);
  }

  async setAppliedValue(accountId: string, region: string, serviceCode: string, quotaCode: string, value: number): Promise<void> {
    await this.db
      .insertInto('lc_quota_values')
      .values({ account_id: accountId, region, service_code: serviceCode, quota_code: quotaCode, value })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'service_code', 'quota_code']).doUpdateSet({ value }))
      .execute();
  }

  async insertRequest(request: QuotaRequest): Promise<void> {
    await this.db
      .insertInto('lc_quota_requests')
      .values({
        id: request.id,
        case_id: request.caseId,
        account_id: request.accountId,
        region: request.region,
        service_code: request.serviceCode,
        quota_code: request.quotaCode,
        desired_value: request.desiredValue,
        status: request.status,
        created_at: request.createdAt,
        approve_at: request.approveAt,
      })
      .execute();
  }

  async findRequest(id: string): Promise<QuotaRequest | undefined> {
    const row = await this.db.selectFrom('lc_quota_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRequest(row);
  }

  /** Requests of one quota of an account in a region, oldest first. */
  async listRequests(accountId: string, region: string, serviceCode: string, quotaCode: string): Promise<QuotaRequest[]> {
    const rows = await this.db
      .selectFrom('lc_quota_requests')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('service_code', '=', serviceCode)
      .where('quota_code', '=', quotaCode)
      .orderBy('created_at')
      .execute();
    return rows.map(toRequest);
  }

  /** Open requests whose approval time has come. */
  async listDueRequests(now: Date): Promise<QuotaRequest[]> {
    const rows = await this.db.selectFrom('lc_quota_requests').selectAll().where('status', 'in', DUE_STATUSES).where('approve_at', '<=', now).execute();
    return rows.map(toRequest);
  }

  /**
   * In one query: whether any increase request (of any account) is due at `now`, and the quota's
   * applied value (undefined while the default applies). When one is due, the value read here is
   * from before its approval: settle the requests and read the value again.
   */
  async appliedValueUnlessDue(accountId: string, region: string, serviceCode: string, quotaCode: string, now: Date): Promise<{ anyDue: boolean; value: number | undefined }> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.exists(eb.selectFrom('lc_quota_requests').select(sql.lit(1).as('one')).where('status', 'in', DUE_STATUSES).where('approve_at', '<=', now)).as('any_due'),
        this.valueOf(accountId, region, serviceCode, quotaCode).as('value'),
      ])
      .executeTakeFirstOrThrow();
    return { anyDue: row.any_due === true, value: row.value === null || row.value === undefined ? undefined : Number(row.value) };
  }

  async setRequestStatus(id: string, status: string): Promise<void> {
    await this.db.updateTable('lc_quota_requests').set({ status }).where('id', '=', id).execute();
  }
}

function toRequest(row: {
  id: string;
  case_id: string;
  account_id: string;
  region: string;
  service_code: string;
  quota_code: string;
  desired_value: number;
  status: string;
  created_at: Date;
  approve_at: Date;
}): QuotaRequest {
  return {
    id: row.id,
    caseId: row.case_id,
    accountId: row.account_id,
    region: row.region,
    serviceCode: row.service_code,
    quotaCode: row.quota_code,
    desiredValue: Number(row.desired_value),
    status: row.status,
    createdAt: row.created_at,
    approveAt: row.approve_at,
  };
}
