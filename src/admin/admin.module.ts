import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { WorkspaceModule } from '../workspace/workspace.module';
import { AdminPagesController } from './admin.pages.controller';

/** Administration pages (accounts and roles come from AuthModule, which is global). */
@Module({
  imports: [DeadlinesModule, DeliveryModule, WorkspaceModule],
  controllers: [AdminPagesController],
})
export class AdminModule {}
