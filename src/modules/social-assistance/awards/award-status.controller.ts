import { Controller, Get, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiClientRoute, apiClientOf } from '../../../platform/api-clients/api-client.guard';
import { AwardStatusQueryService, type StatusAnswer, type StatusQuery } from './award-status.query';

/**
 * The status API for other municipal systems: HTTP Basic client credentials of an API client of
 * the municipality with scope `social-assistance.status` (no session, no CSRF: a GET).
 */
@Controller('api/social-assistance')
export class AwardStatusController {
  constructor(private readonly query: AwardStatusQueryService) {}

  @Get('status')
  @ApiClientRoute('social-assistance.status')
  status(@Req() req: Request, @Query() q: StatusQuery): Promise<StatusAnswer> {
    return this.query.answer(apiClientOf(req), q, {
      requestId: typeof req.id === 'string' ? req.id : null,
      ip: req.ip ?? null,
    });
  }
}
