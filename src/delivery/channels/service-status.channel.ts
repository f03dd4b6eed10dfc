import {
  SERVICE_STATUSES,
  type ServiceStatus,
  type ServiceStatusPort,
  type ServiceStatusReport,
} from '../../integrations/pspp/service-status.port';
import { DomainError } from '../../platform/errors/domain-error';
import type { TenantDb } from '../../platform/tenancy/tenant-db';
import {
  DeliveryDeferred,
  type ChannelResult,
  type DeliveryChannel,
  type OutboundEnvelope,
} from './channel.port';

/**
 * Sends a case's status report (an outbox message of channel `portal_status`, its body the report)
 * to the services platform with the outbox idempotency key. A case's reports go in order: one
 * waits (deferred: tried again with the outbox's backoff, no attempt used up) while an earlier
 * report of the same case is still to be sent; a dead-lettered earlier report does not hold the
 * later ones.
 */
export class ServiceStatusChannel implements DeliveryChannel {
  readonly channel = 'portal_status' as const;

  constructor(
    private readonly port: ServiceStatusPort,
    private readonly tenantDb: TenantDb,
  ) {}

  async send(env: OutboundEnvelope): Promise<ChannelResult> {
    const report = parseReport(env.body);
    if (env.caseId && (await this.earlierUnsent(env.municipality.id, env.caseId, report.sequence)))
      throw new DeliveryDeferred(
        `status report ${report.sequence} of case ${report.caseNumber} waits for an earlier one`,
      );
    const r = await this.port.report(report, env.idempotencyKey);
    return {
      providerMessageId: r.receiptId,
      receipt: {
        gateway: 'pspp',
        receiptId: r.receiptId,
        duplicate: r.duplicate,
        idempotencyKey: env.idempotencyKey,
        status: report.status,
        serviceCode: report.serviceCode,
      },
    };
  }

  private async earlierUnsent(
    municipalityId: string,
    caseId: string,
    seq: number,
  ): Promise<boolean> {
    const rows = await this.tenantDb.run(municipalityId, (em) =>
      em.query<unknown[]>(
        `SELECT 1 FROM outbox_messages
          WHERE case_id = $1 AND channel = 'portal_status' AND status IN ('pending', 'sending', 'failed')
            AND (body::jsonb ->> 'sequence')::int < $2 LIMIT 1`,
        [caseId, seq],
      ),
    );
    return rows.length > 0;
  }
}

/** The outbox body is the report the reporter wrote; anything else is refused for good (dead letter). */
function parseReport(body: string): ServiceStatusReport {
  let r: Partial<ServiceStatusReport> | null = null;
  try {
    r = JSON.parse(body) as Partial<ServiceStatusReport>;
  } catch {
    r = null;
  }
  if (
    !r ||
    typeof r.serviceCode !== 'string' ||
    typeof r.caseNumber !== 'string' ||
    !SERVICE_STATUSES.includes(r.status as ServiceStatus) ||
    !Number.isInteger(r.sequence)
  )
    throw DomainError.validation([
      { field: 'body', message: 'delivery:errors.statusReportInvalid' },
    ]);
  return r as ServiceStatusReport;
}
