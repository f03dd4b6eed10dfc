import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { PersonsService } from './persons.service';
import type { PersonCard, PersonSearchResult } from './persons.types';
import { requireViewer } from './viewer';
import { Roles } from '../../platform/auth/access.decorators';

type WithUser = Request & { user?: unknown };

/**
 * JSON API for person search and the person card. Requires a signed-in user on req.user (set by
 * the lead's auth); the permission checks are in PersonsService (persons.read and field rights).
 */
@Controller('api/persons')
@Roles('caseworker', 'manager', 'administrator')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  /** GET /api/persons?q=berzins+janis&purpose=LV-2026-123&limit=20 */
  @Get()
  search(
    @Req() req: WithUser,
    @Query('q') q: string = '',
    @Query('purpose') purpose: string = '',
    @Query('limit') limit?: string,
  ): Promise<PersonSearchResult> {
    return this.persons.search(requireViewer(req.user), {
      q,
      purpose,
      limit: limit ? Number(limit) || 20 : undefined,
    });
  }

  /** GET /api/persons/:id?purpose=LV-2026-123 */
  @Get(':id')
  card(
    @Req() req: WithUser,
    @Param('id') id: string,
    @Query('purpose') purpose: string = '',
  ): Promise<PersonCard> {
    return this.persons.getCard(requireViewer(req.user), id, purpose);
  }
}
