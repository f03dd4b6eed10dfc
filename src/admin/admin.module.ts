import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { ApiClientsModule } from '../platform/api-clients/api-clients.module';
import { WorkspaceModule } from '../workspace/workspace.module';
import { AdminPagesController } from './admin.pages.controller';
import { ApiClientsPagesController } from './api-clients.pages.controller';

/** Administration pages (accounts and roles come from AuthModule, which is global). */
@Module({
  imports: [DeadlinesModule, DeliveryModule, WorkspaceModule, ApiClientsModule],
  controllers: [AdminPagesController, ApiClientsPagesController],
})
export class AdminModule {}
