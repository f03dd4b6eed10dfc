import { Module, type OnModuleInit } from '@nestjs/common';
import { fromRoot } from '../platform/paths';
import { registerPartials } from '../web/view-engine';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DocumentsModule } from '../documents/documents.module';
import { WorkspaceModule } from '../workspace/workspace.module';
import { DraftService } from './draft.service';
import { PortalPagesController } from './portal.pages.controller';
import { PortalService } from './portal.service';

/** The citizen portal pages shared by every process. */
@Module({
  imports: [CasesModule, DeadlinesModule, DocumentsModule, WorkspaceModule],
  controllers: [PortalPagesController],
  providers: [PortalService, DraftService],
  exports: [DraftService, PortalService],
})
export class PortalModule implements OnModuleInit {
  onModuleInit(): void {
    registerPartials(fromRoot('src/portal/views/partials'));
  }
}
