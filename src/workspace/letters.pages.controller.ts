import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CaseAccessService } from '../cases/case-access.service';
import { parsePostRecipient } from '../delivery/channels/post.channel';
import { DeliverySender } from '../delivery/delivery-sender';
import { OutboxService } from '../delivery/outbox.service';
import { Roles } from '../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { I18nService } from '../platform/i18n/i18n.service';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { flashFrom, render, staffNav, staffOf } from './page-support';

/**
 * Letters to print: messages the delivery path sent by post because the party has no e-address
 * or e-mail. Staff print the letter (a sealed document of the case) with its enclosures, post it
 * and mark it posted; only then does it count as sent.
 */
@Controller('workspace')
@Roles('caseworker', 'manager')
export class LettersPagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly outbox: OutboxService,
    private readonly sender: DeliverySender,
    private readonly access: CaseAccessService,
    private readonly tenantDb: TenantDb,
  ) {}

  @Get('letters')
  async letters(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    const waiting = await this.outbox.listAwaitingPost(user.municipalityId);
    const numbers = await this.caseNumbers(user.municipalityId, [
      ...new Set(waiting.map((m) => m.caseId!)),
    ]);
    const letters = [];
    // A caseworker granted some processes only sees the letters of those processes' cases.
    for (const m of waiting) {
      const readable = await this.access.require(user, m.caseId!, 'handle').then(
        () => true,
        () => false,
      );
      if (!readable) continue;
      const to = parsePostRecipient(m.recipient);
      letters.push({
        ...m,
        caseNumber: numbers.get(m.caseId!) ?? m.caseId,
        addressee: to?.name ?? '',
        address: to?.address ?? '',
        letterDocumentId: m.receipt?.letterDocumentId ?? null,
      });
    }
    render(res, 'workspace/views/letters', {
      title: this.i18n.t(req.lang, 'workspace:delivery.lettersTitle'),
      nav: staffNav(this.i18n, req, 'letters'),
      flash: flashFrom(this.i18n, req, 'workspace'),
      letters,
    });
  }

  @Post('cases/:id/deliveries/:messageId/posted')
  async markPosted(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('messageId') messageId: string,
  ): Promise<void> {
    const user = staffOf(req);
    await this.access.require(user, id, 'handle');
    const m = await this.outbox.get(user.municipalityId, messageId);
    if (m.caseId !== id || m.channel !== 'post')
      throw new DomainError(ErrorCode.NotFound, 'letter not found');
    await this.sender.markPosted(user.municipalityId, messageId, user.accountId);
    res.redirect(
      303,
      req.query.from === 'letters'
        ? '/workspace/letters?done=posted'
        : `/workspace/cases/${id}?done=posted#deliveries`,
    );
  }

  private async caseNumbers(municipalityId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.tenantDb.run(municipalityId, (em) =>
      em.query(`SELECT id::text, number FROM cases WHERE id::text = ANY($1::text[])`, [ids]),
    )) as { id: string; number: string }[];
    return new Map(rows.map((r) => [r.id, r.number]));
  }
}
