import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { PersonsModule } from '../persons/persons.module';
import { CorrespondencePagesController } from './correspondence.pages.controller';
import { CorrespondenceRouter } from './correspondence-router';
import { CorrespondenceService } from './correspondence.service';
import { IncomingMailPoller } from './incoming-mail.poller';
import { IncomingMailService } from './incoming-mail.service';

/** Incoming e-address mail (issue 14 item 4): intake, routing to waiting runs, and the registration pages. */
@Module({
  imports: [CasesModule, DeliveryModule, PersonsModule],
  controllers: [CorrespondencePagesController],
  providers: [CorrespondenceRouter, IncomingMailService, IncomingMailPoller, CorrespondenceService],
  exports: [IncomingMailService, CorrespondenceService],
})
export class CorrespondenceModule {}
