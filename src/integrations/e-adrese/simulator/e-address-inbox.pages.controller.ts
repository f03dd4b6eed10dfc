import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { Account } from '../../../platform/accounts/account.entity';
import { Roles } from '../../../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { I18nService } from '../../../platform/i18n/i18n.service';
import { DivEAddressAdapter } from '../div.adapter';
import { EADDRESS_PORT, type EAddressPort } from '../e-address.port';
import { EAddressSimulator } from './e-address.simulator';

/**
 * The demo's stand-in for a resident's official e-address mailbox (latvija.gov.lv): what the
 * simulator received for the signed-in person, with the files as they arrived. Only while the
 * simulator is the e-address port and never in production.
 */
@Controller('dev/e-adrese')
@Roles('citizen')
export class EAddressInboxPagesController {
  constructor(
    @Inject(EADDRESS_PORT) private readonly port: EAddressPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly i18n: I18nService,
  ) {}

  @Get()
  async inbox(@Req() req: Request, @Res() res: Response): Promise<void> {
    // With the DIV stand-in the resident's mailbox is the stand-in's own page.
    if (
      this.config.NODE_ENV !== 'production' &&
      this.port instanceof DivEAddressAdapter &&
      this.config.EADRESE_STANDIN_INBOX_URL
    ) {
      const account = req.user
        ? await this.ds.getRepository(Account).findOneBy({ id: req.user.accountId })
        : null;
      return res.redirect(
        303,
        `${this.config.EADRESE_STANDIN_INBOX_URL.replace(/\/$/, '')}/inbox?code=${encodeURIComponent(account?.personalCode ?? '')}`,
      );
    }
    const messages = (await this.mine(req)).map((m) => ({
      messageId: m.messageId,
      acceptedAt: m.acceptedAt,
      title: m.envelope.title,
      sender: m.envelope.senderEAddress,
      content: m.envelope.content,
      files: m.envelope.files.map((f, index) => ({
        index,
        name: f.name,
        size: f.size,
        sha256: f.sha256,
      })),
    }));
    res.render('integrations/e-adrese/simulator/views/inbox', {
      title: this.i18n.t(req.lang, 'registers:eAddressInbox.title'),
      messages,
    });
  }

  // Not ':messageId': ids of the simulator are not UUIDs, and route params named *Id must be.
  @Get(':message/files/:index')
  async file(
    @Req() req: Request,
    @Res() res: Response,
    @Param('message') messageId: string,
    @Param('index') index: string,
  ): Promise<void> {
    const m = (await this.mine(req)).find((x) => x.messageId === messageId);
    const f = m?.envelope.files[Number(index)];
    if (!f || !/^\d{1,3}$/.test(index))
      throw new DomainError(ErrorCode.NotFound, 'no such file in your e-address inbox');
    res.setHeader('Content-Type', f.mimeType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(f.content);
  }

  private async mine(req: Request) {
    if (this.config.NODE_ENV === 'production' || !(this.port instanceof EAddressSimulator))
      throw new DomainError(ErrorCode.NotFound, 'the e-address simulator is off');
    const account = req.user
      ? await this.ds.getRepository(Account).findOneBy({ id: req.user.accountId })
      : null;
    if (!account?.personalCode) return [];
    return this.port.inbox(account.personalCode);
  }
}
