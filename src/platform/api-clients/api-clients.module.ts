import { Module } from '@nestjs/common';
import { ApiClientGuard } from './api-client.guard';
import { ApiClientsService } from './api-clients.service';

/** Machine clients of the municipal APIs (credentials, scopes, per-client rate limit). */
@Module({
  providers: [ApiClientsService, ApiClientGuard],
  exports: [ApiClientsService, ApiClientGuard],
})
export class ApiClientsModule {}
