import { Global, Module } from '@nestjs/common';
import { DeliveryModule } from '../../delivery/delivery.module';
import { CASE_STATUS_REPORTER } from './case-status';
import { ServiceStatusReports } from './service-status.reporter';
import { ServiceStatusView } from './service-status.view';

/**
 * Service status reporting to the state services platform: the reporter the case core, the legal
 * clocks and the delivery timeline call (global, so they find it without importing this module),
 * and the status history the portal and the case file show.
 */
@Global()
@Module({
  imports: [DeliveryModule],
  providers: [
    ServiceStatusReports,
    { provide: CASE_STATUS_REPORTER, useExisting: ServiceStatusReports },
    ServiceStatusView,
  ],
  exports: [ServiceStatusReports, CASE_STATUS_REPORTER, ServiceStatusView],
})
export class ServiceStatusModule {}
