import { Module } from '@nestjs/common';
import { CalendarModule } from '../../deadlines/calendar/calendar.module';
import { ParametersModule } from '../../parameters/parameters.module';
import { provideProcess } from '../../processes/process-module';
import { SocialAssistanceApplicationModule } from './application/social-assistance-application.module';
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
  imports: [CalendarModule, ParametersModule, SocialAssistanceApplicationModule],
  controllers: [
    SocialAssistanceController,
    SocialAssistancePagesController,
    SocialAssistanceStatsPagesController,
  ],
  providers: [
    SocialAssistanceRulesService,
    SocialAssistanceCalculatorService,
    SocialAssistanceStatsService,
    provideProcess(socialAssistanceProcess),
  ],
  exports: [SocialAssistanceRulesService, SocialAssistanceCalculatorService],
})
export class SocialAssistanceModule {}
