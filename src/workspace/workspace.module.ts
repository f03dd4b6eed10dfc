import { Module, type OnModuleInit } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CorrespondenceModule } from '../correspondence/correspondence.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { DocumentsModule } from '../documents/documents.module';
import { PersonsModule } from '../persons/persons.module';
import { CaseFileService } from './case-file.service';
import { CaseListService } from './case-list.service';
import { DashboardPagesController } from './dashboard.pages.controller';
import { DashboardService } from './dashboard.service';
import { InboxService } from './inbox.service';
import { LettersPagesController } from './letters.pages.controller';
import { InfoRequestService } from './info-requests/info-request.service';
import { StaffDirectoryService } from './staff-directory.service';
import { registerWorkspaceViews } from './view-helpers';
import { WorkspacePagesController } from './workspace.pages.controller';

/** The staff pages every process shares: inbox, task page, case file, dashboard. */
@Module({
  imports: [
    CasesModule,
    CorrespondenceModule,
    DeadlinesModule,
    DeliveryModule,
    DocumentsModule,
    PersonsModule,
  ],
  controllers: [DashboardPagesController, WorkspacePagesController, LettersPagesController],
  providers: [
    InboxService,
    CaseFileService,
    InfoRequestService,
    StaffDirectoryService,
    DashboardService,
    CaseListService,
  ],
  exports: [InboxService, CaseFileService, InfoRequestService, StaffDirectoryService],
})
export class WorkspaceModule implements OnModuleInit {
  onModuleInit(): void {
    registerWorkspaceViews();
  }
}
