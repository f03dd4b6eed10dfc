import {
  ServiceStatusView,
  type StatusHistoryLine,
} from '../cases/service-status/service-status.view';
import { Injectable } from '@nestjs/common';
import { validateApplyForm } from '../processes/apply-form';
import type { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CaseAccessService } from '../cases/case-access.service';
import { CaseService } from '../cases/case.service';
import { TimelineEvent } from '../cases/timeline-event.entity';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import type { DeadlineView } from '../deadlines/deadline-view';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { DocumentService, type IssuedDocumentSummary } from '../documents/document.service';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import type { ApplyFormSpec, ServiceCatalogueEntry } from '../processes/process-module';
import { InformationRequest } from '../workspace/info-requests/information-request.entity';
import { InformationAttachment } from '../workspace/info-requests/information-attachment.entity';
import { dueDescriber, type DueInfo } from '../workspace/working-days-left';

export interface Citizen {
  accountId: string;
  displayName: string;
  municipalityId: string;
  /** Role grants in the municipality: the access policy needs the citizen role. */
  grants?: { role: string; processKey: string | null }[];
}

/** Timeline kinds a citizen sees about their own case (internal steps stay internal). */
const CITIZEN_EVENTS = new Set([
  'case.opened',
  'info.requested',
  'info.received',
  'case.decided',
  'case.closed',
  'document.issued',
  'delivery.sent',
  'delivery.posted',
]);

export interface MyCaseRow {
  id: string;
  number: string;
  title: string;
  processKey: string;
  status: string;
  stage: string;
  outcome: string | null;
  openedAt: Date;
  /** When the case was closed (decided or cancelled); then the citizen sees this date instead of a deadline. */
  closedAt: Date | null;
  dueOn: string | null;
  openRequests: number;
}

/**
 * How cases name this citizen as applicant: by account (portal e-services) or by personal code
 * (module e-services and counter applications, which name the person rather than an account).
 */
async function applicantRefs(em: EntityManager, accountId: string): Promise<string[]> {
  const [a] = (await em.query(`SELECT personal_code FROM accounts WHERE id = $1`, [accountId])) as {
    personal_code: string | null;
  }[];
  return a?.personal_code ? [accountId, a.personal_code] : [accountId];
}

/** The citizen's side of the case file: apply, follow, answer, download. Only ever their own cases. */
@Injectable()
export class PortalService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly cases: CaseService,
    private readonly deadlines: DeadlinesService,
    private readonly documents: DocumentService,
    private readonly calendars: CalendarService,
    private readonly access: CaseAccessService,
    private readonly statuses: ServiceStatusView,
  ) {}

  /** The case's service status history as reported to the services platform (the citizen's own cases only). */
  async statusHistory(citizen: Citizen, caseId: string): Promise<StatusHistoryLine[]> {
    const c = await this.owned(citizen, caseId);
    return this.statuses.history(citizen.municipalityId, c.id);
  }

  /** Checks the submitted fields against the form; returns the clean values or throws field errors. */
  validate(form: ApplyFormSpec, body: Record<string, unknown>): Record<string, string> {
    return validateApplyForm(form, body);
  }

  async apply(
    citizen: Citizen,
    service: ServiceCatalogueEntry,
    body: Record<string, unknown>,
  ): Promise<Case> {
    if (!service.applyForm) throw new DomainError(ErrorCode.NotFound, 'service has no online form');
    const values = this.validate(service.applyForm, body);
    const { title, input } = service.applyForm.toCase(values);
    return this.cases.open({
      municipalityId: citizen.municipalityId,
      processKey: service.key,
      title,
      applicantRef: citizen.accountId,
      input,
      actor: citizen.accountId,
      channel: 'e_service',
    });
  }

  /** The cases the citizen applied for (see applicantRefs). */
  async myCases(citizen: Citizen): Promise<MyCaseRow[]> {
    return this.tenantDb.run(citizen.municipalityId, async (em) => {
      const rows = (await em.query(
        `SELECT c.id, c.number, c.title, c.process_key, c.status, c.stage, c.outcome, c.opened_at, c.closed_at,
                (SELECT to_char(min(d.due_on), 'YYYY-MM-DD') FROM deadlines d WHERE d.case_id = c.case_key AND d.status IN ('running', 'paused', 'missed')) AS due_on,
                (SELECT count(*)::int FROM information_requests r WHERE r.case_id = c.id AND r.status = 'open') AS open_requests
           FROM (SELECT *, id::text AS case_key FROM cases
                  WHERE applicant_ref = ANY($1::text[]) ORDER BY opened_at DESC LIMIT 200) c ORDER BY c.opened_at DESC`,
        [await applicantRefs(em, citizen.accountId)],
      )) as Record<string, unknown>[];
      return rows.map((r) => ({
        id: r.id as string,
        number: r.number as string,
        title: r.title as string,
        processKey: r.process_key as string,
        status: r.status as string,
        stage: r.stage as string,
        outcome: r.outcome as string | null,
        openedAt: r.opened_at as Date,
        closedAt: (r.closed_at as Date | null) ?? null,
        dueOn: r.due_on as string | null,
        openRequests: r.open_requests as number,
      }));
    });
  }

  /** One of the citizen's cases; someone else's case is "not found" (its existence is not revealed). */
  async myCase(
    citizen: Citizen,
    caseId: string,
  ): Promise<{
    case: Case;
    deadlines: (DeadlineView & { due: DueInfo })[];
    requests: (InformationRequest & {
      attachments: Pick<InformationAttachment, 'id' | 'fileName'>[];
    })[];
    documents: IssuedDocumentSummary[];
    timeline: TimelineEvent[];
    statusHistory: StatusHistoryLine[];
  }> {
    const c = await this.owned(citizen, caseId);
    const dues = await dueDescriber(this.calendars, citizen.municipalityId);
    const [deadlines, documents] = await Promise.all([
      this.deadlines.listForCase(citizen.municipalityId, c.id),
      this.documents.listForCase(citizen.municipalityId, c.id),
    ]);
    return this.tenantDb.run(citizen.municipalityId, async (em) => {
      const requests = await em.find(InformationRequest, {
        where: { caseId: c.id },
        order: { requestedAt: 'ASC' },
      });
      const files = await em.find(InformationAttachment, {
        where: { caseId: c.id },
        select: { id: true, requestId: true, fileName: true },
      });
      const timeline = (
        await em.find(TimelineEvent, { where: { caseId: c.id }, order: { at: 'ASC' } })
      ).filter((e) => CITIZEN_EVENTS.has(e.kind));
      return {
        case: c,
        deadlines: deadlines.map((d) => ({ ...d, due: dues.describe(d.dueOn) })),
        requests: requests.map((r) =>
          Object.assign(r, { attachments: files.filter((f) => f.requestId === r.id) }),
        ),
        documents,
        timeline,
        statusHistory: await this.statuses.history(citizen.municipalityId, c.id, em),
      };
    });
  }

  /** A case the citizen is party to (the access policy, mayAccessCase 'party'), else "not found". */
  owned(citizen: Citizen, caseId: string): Promise<Case> {
    return this.access.require(
      { ...citizen, grants: citizen.grants ?? [{ role: 'citizen', processKey: null }] },
      caseId,
      'party',
    );
  }

  async document(
    citizen: Citizen,
    caseId: string,
    docId: string,
  ): Promise<{ pdf: Buffer; name: string }> {
    await this.owned(citizen, caseId);
    const doc = await this.documents.get(citizen.municipalityId, docId);
    if (!doc || doc.caseId !== caseId)
      throw new DomainError(ErrorCode.NotFound, 'document not found');
    return { pdf: await this.documents.pdf(citizen.municipalityId, docId), name: doc.fileName };
  }

  /** The citizen's person record in this municipality (for the consultations report), by the personal code from eID. */
  async personId(citizen: Citizen): Promise<string | null> {
    return this.tenantDb.run(citizen.municipalityId, async (em) => {
      const [row] = (await em.query(
        `SELECT p.id FROM accounts a JOIN persons p ON p.personal_code = a.personal_code AND p.municipality_id = $2 WHERE a.id = $1`,
        [citizen.accountId, citizen.municipalityId],
      )) as { id: string }[];
      return row?.id ?? null;
    });
  }
}
