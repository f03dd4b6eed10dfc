import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../platform/auth/access.decorators';
import { auditRequestContext } from '../platform/audit/request-context';
import { I18nService } from '../platform/i18n/i18n.service';
import { fieldErrorsOf, flashFrom, render, staffNav, staffOf } from '../workspace/page-support';
import { CorrespondenceService } from './correspondence.service';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** "New incoming correspondence": e-address messages waiting for a caseworker to register them. */
@Controller('workspace/correspondence')
@Roles('caseworker', 'manager')
export class CorrespondencePagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly correspondence: CorrespondenceService,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = staffOf(req);
    const rows = await this.correspondence.waiting(user, auditRequestContext(req));
    render(res, 'correspondence/views/list', {
      title: this.i18n.t(req.lang, 'correspondence:title'),
      nav: staffNav(this.i18n, req),
      flash: flashFrom(this.i18n, req, 'correspondence'),
      rows: rows.map((r) => ({
        ...r,
        note: r.routingNote ? this.i18n.t(req.lang, `correspondence:note.${r.routingNote}`) : '',
      })),
    });
  }

  @Get(':id')
  async show(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    await this.page(req, res, id, {}, [], 200);
  }

  @Get(':id/files/:fileId')
  async file(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('fileId') fileId: string,
  ): Promise<void> {
    const f = await this.correspondence.file(staffOf(req), id, fileId, auditRequestContext(req));
    res.setHeader('Content-Type', f.mimeType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(f.content);
  }

  @Post(':id/attach')
  async attach(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(req, res, id, body, async () => {
      const c = await this.correspondence.attach(
        staffOf(req),
        id,
        text(body.caseNumber),
        text(body.note),
      );
      return `/workspace/cases/${c.id}?done=correspondenceAttached`;
    });
  }

  @Post(':id/open')
  async open(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(req, res, id, body, async () => {
      const c = await this.correspondence.open(staffOf(req), id, text(body.processKey), body);
      return `/workspace/cases/${c.id}?done=correspondenceOpened`;
    });
  }

  @Post(':id/file')
  async fileAway(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.act(req, res, id, body, async () => {
      await this.correspondence.fileAway(staffOf(req), id, text(body.note));
      return '/workspace/correspondence?done=filed';
    });
  }

  /** Runs a registration; field errors re-render the message page (422) with the values kept. */
  private async act(
    req: Request,
    res: Response,
    id: string,
    body: Record<string, unknown>,
    fn: () => Promise<string>,
  ): Promise<void> {
    try {
      res.redirect(303, await fn());
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      await this.page(req, res, id, body, errors, 422);
    }
  }

  private async page(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, unknown>,
    errors: { field: string; text: string }[],
    status: number,
  ): Promise<void> {
    const user = staffOf(req);
    const { message, files, caseNumber } = await this.correspondence.read(
      user,
      id,
      auditRequestContext(req),
    );
    const chosen = text(values.processKey);
    render(
      res,
      'correspondence/views/message',
      {
        title: this.i18n.t(req.lang, 'correspondence:messageTitle', { subject: message.subject }),
        nav: staffNav(this.i18n, req),
        m: message,
        files,
        caseNumber,
        waiting: message.status === 'registration',
        statusLabel: this.i18n.t(req.lang, `correspondence:status.${message.status}`),
        note: message.routingNote
          ? this.i18n.t(req.lang, `correspondence:note.${message.routingNote}`)
          : '',
        services: this.correspondence.openable(user).map((s) => ({
          key: s.key,
          name: this.i18n.t(req.lang, s.name),
          selected: s.key === chosen,
          fields: (s.applyForm?.fields ?? []).map((f) => ({
            ...f,
            id: `${s.key}-${f.name}`,
            label: this.i18n.t(req.lang, f.label),
            hint: f.hint ? this.i18n.t(req.lang, f.hint) : '',
            value: s.key === chosen ? text(values[f.name]) : '',
            error: s.key === chosen ? errors.find((e) => e.field === f.name)?.text : undefined,
            textarea: f.kind === 'textarea',
          })),
        })),
        values: { caseNumber: text(values.caseNumber), note: text(values.note) },
        errors,
        errorFor: Object.fromEntries(errors.map((e) => [e.field, e.text])),
      },
      status,
    );
  }
}
