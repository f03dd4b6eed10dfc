import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { CalendarModule } from '../../../deadlines/calendar/calendar.module';
import { DocumentsModule } from '../../../documents/documents.module';
import { PersonsModule } from '../../../persons/persons.module';
import { SocialAssistanceCaseService } from '../process/social-assistance-case.service';
import { ApplicationsOpenMiddleware } from './application-open.middleware';
import { ApplicationPages } from './application.pages';
import { SocialAssistanceApplicationPagesController } from './application.pages.controller';
import { SocialAssistanceApplicationService } from './application.service';
import { SocialAssistanceApplicationStaffPagesController } from './application-staff.pages.controller';
import { SubmittedView } from './application-submitted.view';

/**
 * Social assistance, part 1 "Apply": the application's drafts, bills and submission, for the
 * resident (eID e-service) and the caseworker at the counter. The process module
 * (social-assistance.process.ts) imports this module to start the case from a submitted application.
 */
@Module({
  imports: [CalendarModule, PersonsModule, DocumentsModule],
  controllers: [
    SocialAssistanceApplicationPagesController,
    SocialAssistanceApplicationStaffPagesController,
  ],
  providers: [
    SocialAssistanceApplicationService,
    SocialAssistanceCaseService,
    ApplicationPages,
    SubmittedView,
  ],
  exports: [SocialAssistanceApplicationService],
})
export class SocialAssistanceApplicationModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(ApplicationsOpenMiddleware)
      .forRoutes(
        SocialAssistanceApplicationPagesController,
        SocialAssistanceApplicationStaffPagesController,
      );
  }
}
