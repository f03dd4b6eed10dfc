import { Module } from '@nestjs/common';
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
  exports: [DraftService],
})
export class PortalModule {}
