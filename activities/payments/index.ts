import type { SchedulePaymentRequest } from '../../src/payments/payment-input';
import type { PaymentsService, ScheduledPayment } from '../../src/payments/payments.service';

export type { SchedulePaymentRequest, ScheduledPayment };

export interface CancelPaymentRequest {
  municipalityId: string;
  caseId: string;
  key: string;
}

/**
 * Payments for any process: record a payable line of the case (payee, IBAN, amount in cents, due
 * month) for its municipality's monthly payment run, or withdraw one no run has taken yet. Both are
 * idempotent per (caseId, key): a retried attempt returns what the first one did.
 */
export function createPaymentActivities(ports: {
  payments: Pick<PaymentsService, 'schedule' | 'cancel'>;
}) {
  return {
    async schedulePayment(req: SchedulePaymentRequest): Promise<ScheduledPayment> {
      return ports.payments.schedule({ ...req, createdBy: req.createdBy ?? 'process' });
    },
    async cancelPayment(
      req: CancelPaymentRequest,
    ): Promise<{ cancelled: boolean; status: string | null }> {
      return ports.payments.cancel(req);
    },
  };
}
export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
