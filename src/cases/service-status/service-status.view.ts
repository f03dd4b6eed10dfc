import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxMessage } from '../../delivery/outbox-message.entity';
import type { ServiceStatusReport } from '../../integrations/pspp/service-status.port';
import { TenantDb } from '../../platform/tenancy/tenant-db';

/** Where a status report is: sent to the platform, waiting to be sent (or retried), or given up. */
export type ReportState = 'sent' | 'pending' | 'failed';

/** One line of a case's status history (the resident's) with its report state (staff's). */
export interface StatusHistoryLine {
  status: ServiceStatusReport['status'];
  sequence: number;
  occurredAt: Date;
  channel: ServiceStatusReport['channel'] | null;
  result: ServiceStatusReport['result'] | null;
  serviceCode: string;
  state: ReportState;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
}

const stateOf = (m: OutboxMessage): ReportState =>
  m.status === 'sent' || m.status === 'delivered'
    ? 'sent'
    : m.status === 'dead'
      ? 'failed'
      : 'pending';

/** A case's service status history, from its status reports (whatever their sending state). */
@Injectable()
export class ServiceStatusView {
  constructor(private readonly tenantDb: TenantDb) {}

  /** In the caller's tenant transaction when `em` is given (RLS: only the municipality's cases). */
  history(
    municipalityId: string,
    caseId: string,
    em?: EntityManager,
  ): Promise<StatusHistoryLine[]> {
    const read = async (m: EntityManager) => {
      const rows = await m
        .getRepository(OutboxMessage)
        .find({ where: { caseId, channel: 'portal_status' }, order: { createdAt: 'ASC' } });
      return rows
        .map((row) => {
          const r = JSON.parse(row.body) as ServiceStatusReport;
          return {
            status: r.status,
            sequence: r.sequence,
            occurredAt: new Date(r.occurredAt),
            channel: r.channel ?? null,
            result: r.result ?? null,
            serviceCode: r.serviceCode,
            state: stateOf(row),
            attempts: row.attempts,
            lastError: row.lastError,
            sentAt: row.sentAt,
            nextAttemptAt: row.status === 'failed' ? row.nextAttemptAt : null,
          };
        })
        .sort((a, b) => a.sequence - b.sequence);
    };
    return em ? read(em) : this.tenantDb.run(municipalityId, read);
  }
}
