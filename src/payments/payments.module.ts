import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { PaymentFilesService } from './payment-files.service';
import { PaymentStatusService } from './payment-status.service';
import { PaymentsPagesController } from './payments.pages.controller';
import { PaymentsService } from './payments.service';

/**
 * Payments, a platform part every process may use (activities schedulePayment / cancelPayment):
 * payable lines per case, monthly payment runs per municipality, ISO 20022 pain.001 out and
 * pain.002 in, the accounting CSV, and staff pages. See docs/payments.md.
 */
@Module({
  imports: [CasesModule, DeadlinesModule],
  controllers: [PaymentsPagesController],
  providers: [PaymentsService, PaymentFilesService, PaymentStatusService],
  exports: [PaymentsService, PaymentFilesService, PaymentStatusService],
})
export class PaymentsModule {}
