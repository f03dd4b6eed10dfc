import { Module } from '@nestjs/common';
import { CalendarModule } from '../../deadlines/calendar/calendar.module';
import { DeliveryModule } from '../../delivery/delivery.module';
import { PersonsModule } from '../../persons/persons.module';
import { ApiClientsModule } from '../../platform/api-clients/api-clients.module';
import { ParametersModule } from '../../parameters/parameters.module';
import { provideProcess } from '../../processes/process-module';
import { SocialAssistanceApplicationModule } from './application/social-assistance-application.module';
import { AwardRecalculationJob } from './awards/award-recalculation.job';
import { AwardRecalculationService } from './awards/award-recalculation.service';
import { AwardStatusPublisher } from './awards/award-status.publisher';
import { AwardStatusController } from './awards/award-status.controller';
import { AwardFindingsPagesController } from './awards/award-findings.pages.controller';
import { AwardFindingsService } from './awards/award-findings.service';
import { IntegrityMonitorJob } from './awards/integrity-monitor.job';
import { IntegrityMonitorService } from './awards/integrity-monitor.service';
import { AwardStatusQueryService } from './awards/award-status.query';
import { SocialAssistanceCalculatorService } from './social-assistance-calculator.service';
import { SocialAssistanceController } from './social-assistance.controller';
import { SocialAssistancePagesController } from './social-assistance.pages.controller';
import { socialAssistanceProcess } from './social-assistance.process';
import { SocialAssistanceRulesService } from './social-assistance-rules.service';
import { SocialAssistanceStatsPagesController } from './statistics/social-assistance-stats.pages.controller';
import { SocialAssistanceStatsService } from './statistics/social-assistance-stats.service';

/**
 * Social assistance: the process module (manifest), its rules in force, the what-if calculator (API
 * and staff page) and the application (drafts, counter registration, submission).
 */
@Module({
  imports: [
    ApiClientsModule,
    CalendarModule,
    DeliveryModule,
    ParametersModule,
    PersonsModule,
    SocialAssistanceApplicationModule,
  ],
  controllers: [
    SocialAssistanceController,
    SocialAssistancePagesController,
    SocialAssistanceStatsPagesController,
    AwardStatusController,
    AwardFindingsPagesController,
  ],
  providers: [
    SocialAssistanceRulesService,
    SocialAssistanceCalculatorService,
    SocialAssistanceStatsService,
    AwardRecalculationService,
    AwardRecalculationJob,
    AwardStatusPublisher,
    AwardStatusQueryService,
    AwardFindingsService,
    IntegrityMonitorService,
    IntegrityMonitorJob,
    provideProcess(socialAssistanceProcess),
  ],
  exports: [
    SocialAssistanceRulesService,
    SocialAssistanceCalculatorService,
    AwardRecalculationService,
    AwardStatusPublisher,
    IntegrityMonitorService,
    AwardFindingsService,
  ],
})
export class SocialAssistanceModule {}
