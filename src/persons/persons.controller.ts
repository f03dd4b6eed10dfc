import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../platform/auth/access.decorators';
import { PERSON_LOOKUP_ACCESS } from './lookup-purpose';
import { PersonsService } from './persons.service';
import type { PersonCard, PersonSearchResult } from './persons.types';
import { requireViewer } from './viewer';

type WithUser = Request & { user?: unknown };
type Body = Record<string, unknown> | undefined;

/**
 * JSON API for person look-ups and the person card. Both are POSTs with the CSRF token (issue 12
 * L1): each records an audited read with the purpose the caller chose (a code of LOOKUP_PURPOSES,
 * and the case number where the purpose needs one) and may take a person over from the register.
 * Who may call them is PERSON_LOOKUP_ACCESS (issue 12 M7); field rights are PersonsService's.
 */
@Controller('api/persons')
@Roles(...PERSON_LOOKUP_ACCESS)
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  /** POST /api/persons/search {"q":"berzins janis","purpose":"case-handling","caseNumber":"RES-2026-000123","limit":20} */
  @Post('search')
  @HttpCode(200)
  search(@Req() req: WithUser, @Body() body: Body): Promise<PersonSearchResult> {
    const b = body ?? {};
    const limit =
      typeof b.limit === 'number' || typeof b.limit === 'string'
        ? Number(b.limit) || 20
        : undefined;
    return this.persons.search(requireViewer(req.user), {
      q: typeof b.q === 'string' ? b.q : '',
      purpose: b.purpose,
      caseNumber: b.caseNumber,
      limit,
    });
  }

  /** POST /api/persons/:id/card {"purpose":"counter-service"} */
  @Post(':id/card')
  @HttpCode(200)
  card(@Req() req: WithUser, @Param('id') id: string, @Body() body: Body): Promise<PersonCard> {
    const b = body ?? {};
    return this.persons.getCard(requireViewer(req.user), id, {
      purpose: b.purpose,
      caseNumber: b.caseNumber,
    });
  }
}
