import { pageNumber } from '../web/form-values';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CaseAccessService } from '../cases/case-access.service';
import { TaskService } from '../cases/task.service';
import { mayWorkOnTask } from '../platform/auth/case-access';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { RecipientRouter } from '../delivery/recipient-router';
import { DocumentService } from '../documents/document.service';
import { Roles } from '../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { I18nService } from '../platform/i18n/i18n.service';
import { auditRequestContext } from '../platform/audit/request-context';
import { ProcessRegistry } from '../processes/process-registry';
import { CorrespondenceService } from '../correspondence/correspondence.service';
import { CaseFileService } from './case-file.service';
import { DUE_FILTERS, INBOX_SORTS, InboxService, type InboxFilters } from './inbox.service';
import { InfoRequestService } from './info-requests/info-request.service';
import { caseActions, taskActions } from './permissions';
import { fieldErrorsOf, flashFrom, render, safeReturn, staffNav, staffOf } from './page-support';
import { StaffDirectoryService } from './staff-directory.service';

const STAFF = ['caseworker', 'manager', 'council_secretary', 'deputy', 'administrator'] as const;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length < 100 ? v : undefined;

/** Staff pages shared by every process: inbox, task page, case file, and their POST actions (no JavaScript needed). */
@Controller('workspace')
@Roles(...STAFF)
export class WorkspacePagesController {
  constructor(
    private readonly i18n: I18nService,
    private readonly inbox: InboxService,
    private readonly tasks: TaskService,
    private readonly caseFiles: CaseFileService,
    private readonly infoRequests: InfoRequestService,
    private readonly deadlines: DeadlinesService,
    private readonly documents: DocumentService,
    private readonly staff: StaffDirectoryService,
    private readonly recipients: RecipientRouter,
    private readonly access: CaseAccessService,
    private readonly processes: ProcessRegistry,
    private readonly correspondence: CorrespondenceService,
  ) {}

  @Get()
  async inboxPage(
    @Req() req: Request,
    @Res() res: Response,
    @Query() q: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const filters: InboxFilters = {
      process: str(q.process),
      stage: str(q.stage),
      due: DUE_FILTERS.find((d) => d === q.due),
      assignee: str(q.assignee),
      sort: INBOX_SORTS.find((s) => s === q.sort),
      page: pageNumber(q.page),
    };
    const page = await this.inbox.page(user, filters);
    const query = new URLSearchParams(
      Object.entries(filters).filter(
        ([k, v]) => v !== undefined && k !== 'page' && k !== 'sort',
      ) as [string, string][],
    );
    // Incoming e-address mail no case took waits for registration (caseworkers and managers).
    const registers = user.roles.includes('caseworker') || user.roles.includes('manager');
    render(res, 'workspace/views/inbox', {
      title: this.i18n.t(req.lang, 'common:workspace.title'),
      correspondence: {
        shown: registers,
        waiting: registers ? await this.correspondence.waitingCount(user.municipalityId) : 0,
      },
      nav: staffNav(this.i18n, req, 'inbox'),
      flash: flashFrom(this.i18n, req, 'workspace'),
      ...page,
      rows: page.rows.map((r) => ({ ...r, actions: taskActions(user, r) })),
      filters,
      filtered: Object.values(filters).some((v) => v !== undefined && v !== 1),
      sorts: INBOX_SORTS.map((s) => ({ value: s, selected: (filters.sort ?? 'due') === s })),
      dues: DUE_FILTERS.map((d) => ({ value: d, selected: filters.due === d })),
      processes: page.facets.processes.map((p) => ({ ...p, selected: p.key === filters.process })),
      stages: page.facets.stages.map((s) => ({ ...s, selected: s.key === filters.stage })),
      assignees: [
        {
          value: 'me',
          label: this.i18n.t(req.lang, 'workspace:inbox.assignee.me'),
          selected: filters.assignee === 'me',
        },
        {
          value: 'unassigned',
          label: this.i18n.t(req.lang, 'workspace:inbox.assignee.unassigned'),
          selected: filters.assignee === 'unassigned',
        },
      ],
      baseQuery: query.toString(),
      prev: page.page > 1 ? page.page - 1 : null,
      next: page.page < page.pages ? page.page + 1 : null,
      returnTo: req.originalUrl,
    });
  }

  @Post('tasks/:id/claim')
  async claim(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const t = await this.tasks.claim(user, id);
    this.inbox.invalidate(user.municipalityId);
    res.redirect(
      303,
      withDone(safeReturn(body.returnTo, `/workspace/cases/${t.caseId}`), 'claimed'),
    );
  }

  @Post('tasks/:id/release')
  async release(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const t = await this.tasks.release(user, id);
    this.inbox.invalidate(user.municipalityId);
    res.redirect(
      303,
      withDone(safeReturn(body.returnTo, `/workspace/cases/${t.caseId}`), 'released'),
    );
  }

  @Post('tasks/:id/reassign')
  @Roles('manager')
  async reassign(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const to = typeof body.assigneeId === 'string' ? body.assigneeId : '';
    // Who may receive it (the task's municipality, role and process grant) is the task service's rule (L5).
    const t = await this.tasks.reassign(user, id, to);
    this.inbox.invalidate(user.municipalityId);
    res.redirect(
      303,
      withDone(safeReturn(body.returnTo, `/workspace/cases/${t.caseId}`), 'reassigned'),
    );
  }

  @Get('tasks/:id')
  async taskPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
  ): Promise<void> {
    await this.renderTask(req, res, id, {}, null);
  }

  @Post('tasks/:id/complete')
  async complete(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const task = await this.tasks.get(user, id);
    const view = this.processes.form(task.formKey);
    if (!view) throw new DomainError(ErrorCode.Misconfigured, `no view for form ${task.formKey}`);
    try {
      await this.tasks.complete(user, id, view.toDecision(body));
      this.inbox.invalidate(user.municipalityId);
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderTask(req, res, id, body, errors, 422);
    }
    res.redirect(303, `/workspace/cases/${task.caseId}?done=decided`);
  }

  /** The task page is the case page with this task's form (one review form per task, next to the facts). */
  private async renderTask(
    req: Request,
    res: Response,
    id: string,
    values: Record<string, unknown>,
    errors: { field: string; text: string }[] | null,
    status = 200,
  ) {
    const task = await this.tasks.get(staffOf(req), id);
    await this.renderCase(
      req,
      res,
      task.caseId,
      {
        values,
        errors: errors ?? [],
        errorFor: Object.fromEntries((errors ?? []).map((e) => [e.field, e.text])),
        returnTo: `/workspace/tasks/${id}`,
      },
      status,
      { taskId: id, purpose: 'task work' },
    );
  }

  @Get('cases/:id')
  async caseFile(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
  ): Promise<void> {
    await this.renderCase(req, res, id, {});
  }

  private async renderCase(
    req: Request,
    res: Response,
    id: string,
    extra: Record<string, unknown>,
    status = 200,
    focus: { taskId?: string; purpose?: string } = {},
  ) {
    const user = staffOf(req);
    const file = await this.caseFiles.load(user, id, focus.purpose, auditRequestContext(req));
    // The reassign list offers only staff who may receive the case's tasks (its process grant).
    const caseworkers = user.roles.includes('manager')
      ? (await this.staff.list(user.municipalityId, 'caseworker')).filter(
          (s) =>
            !s.disabled &&
            mayWorkOnTask(
              {
                accountId: s.id,
                municipalityId: user.municipalityId,
                grants: s.roles.map(grantOf),
              },
              {
                municipalityId: user.municipalityId,
                processKey: file.case.processKey,
                role: 'caseworker',
              },
            ),
        )
      : [];
    const tasks = file.tasks.map((t) => ({
      ...t,
      actions: taskActions(user, { ...t, escalated: t.escalatedAt !== null }),
    }));
    // The form shown: the task asked for, else the first active task of the case.
    const active = tasks.filter((t) => t.status === 'open' || t.status === 'claimed');
    const current =
      active.find((t) => t.id === focus.taskId) ??
      active.find((t) => t.actions.decide) ??
      active[0] ??
      null;
    const title = `${file.case.number} – ${this.i18n.label(req.lang, file.case.title)}`;
    render(
      res,
      'workspace/views/case-file',
      {
        title:
          current && focus.taskId
            ? `${this.i18n.label(req.lang, current.title)} – ${title}`
            : title,
        nav: staffNav(this.i18n, req, 'inbox'),
        flash: flashFrom(this.i18n, req, 'workspace'),
        file,
        tasks,
        current: current
          ? {
              ...current,
              formPartial: this.processes.formPartial(current.formKey),
              workHref: this.processes.taskPage(current.formKey),
            }
          : null,
        can: caseActions(user, file.case),
        caseworkers,
        returnTo: `/workspace/cases/${id}`,
        errors: [],
        errorFor: {},
        values: {},
        ...extra,
      },
      status,
    );
  }

  @Post('cases/:id/requests')
  @Roles('caseworker', 'manager')
  async requestInfo(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    await this.access.require(user, id, 'handle');
    try {
      await this.infoRequests.ask(
        user.municipalityId,
        id,
        user.accountId,
        String(body.question ?? ''),
        Number(body.workingDays),
      );
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderCase(
        req,
        res,
        id,
        {
          errors,
          errorFor: Object.fromEntries(errors.map((x) => [x.field, x.text])),
          values: body,
        },
        422,
      );
    }
    res.redirect(303, `/workspace/cases/${id}?done=requested`);
  }

  @Post('cases/:id/deadlines/:deadlineId/extend')
  @Roles('manager')
  async extend(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('deadlineId') did: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const user = staffOf(req);
    const file = await this.caseFiles.load(
      user,
      id,
      'case handling: deadline extension',
      auditRequestContext(req),
    );
    if (!file.deadlines.some((d) => d.id === did))
      throw new DomainError(ErrorCode.NotFound, 'deadline not found');
    try {
      // The notice goes to the applicant by the e-address rule (art. 12(1); only where this
      // municipality can send to an e-address), else to their e-mail.
      const { personalCode, email } = file.applicant;
      const route =
        personalCode || email
          ? await this.recipients
              .chooseFor(user.municipalityId, { personalCode, email })
              .catch(() => null)
          : null;
      if (!route)
        throw DomainError.validation([
          { field: 'newDueOn', message: 'workspace:errors.noRecipient' },
        ]);
      await this.deadlines.extend(user.municipalityId, did, {
        newDueOn: String(body.newDueOn ?? ''),
        reason: String(body.reason ?? ''),
        by: user.accountId,
        notice: {
          channel: route.channel,
          recipient: route.recipient,
          routeReason: route.reason,
          // In the municipality's official language (DeadlinesService's default).
        },
      });
    } catch (e) {
      const errors = fieldErrorsOf(this.i18n, req, e);
      if (!errors) throw e;
      return this.renderCase(
        req,
        res,
        id,
        {
          errors,
          errorFor: Object.fromEntries(errors.map((x) => [x.field, x.text])),
          values: body,
        },
        422,
      );
    }
    res.redirect(303, `/workspace/cases/${id}?done=extended`);
  }

  @Get('cases/:id/documents/:docId')
  async document(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('docId') docId: string,
    @Query('inline') inline?: string,
  ): Promise<void> {
    const user = staffOf(req);
    await this.access.require(user, id, 'read');
    const doc = await this.documents.get(user.municipalityId, docId);
    if (!doc || doc.caseId !== id) throw new DomainError(ErrorCode.NotFound, 'document not found');
    const pdf = await this.documents.pdf(user.municipalityId, docId);
    // Nothing is sent unless the read is recorded for every party of the case (issue 12 M2).
    await this.caseFiles.recordDocumentRead(user, id, doc, undefined, auditRequestContext(req));
    sendPdf(res, pdf, doc.fileName, inline === '1');
  }

  @Get('attachments/:id')
  async attachment(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
  ): Promise<void> {
    const user = staffOf(req);
    const a = await this.infoRequests.attachment(user.municipalityId, id);
    await this.caseFiles.recordUploadRead(user, a.caseId, a, undefined, auditRequestContext(req));
    res.setHeader('Content-Type', a.mimeType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(a.content);
  }
}

/** A directory entry's `role` or `role:process` as a grant. */
const grantOf = (r: string): { role: string; processKey: string | null } => {
  const [role, processKey] = r.split(':');
  return { role, processKey: processKey ?? null };
};

export function withDone(path: string, done: string): string {
  const clean = path.replace(/([?&])done=[^&]*&?/, '$1').replace(/[?&]$/, '');
  return `${clean}${clean.includes('?') ? '&' : '?'}done=${done}`;
}

export function sendPdf(res: Response, pdf: Buffer, name: string, inline: boolean): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader(
    'Content-Disposition',
    `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(pdf);
}
