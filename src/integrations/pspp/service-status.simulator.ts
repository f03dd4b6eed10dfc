import { randomUUID } from 'node:crypto';
import type {
  ServiceStatusPort,
  ServiceStatusReceipt,
  ServiceStatusReport,
} from './service-status.port';

/**
 * In-memory stand-in for unit tests and the default of development builds (PSPP_MODE=simulator;
 * production refuses it): keeps one report per idempotency key, as the platform should.
 */
export class ServiceStatusSimulator implements ServiceStatusPort {
  readonly reports = new Map<string, { receiptId: string; report: ServiceStatusReport }>();
  calls = 0;

  async report(report: ServiceStatusReport, key: string): Promise<ServiceStatusReceipt> {
    this.calls += 1;
    const seen = this.reports.get(key);
    if (seen) return { receiptId: seen.receiptId, duplicate: true };
    const receiptId = randomUUID();
    this.reports.set(key, { receiptId, report });
    return Promise.resolve({ receiptId, duplicate: false });
  }
}
