import {
  ServiceStatusView,
  type StatusHistoryLine,
} from '../cases/service-status/service-status.view';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { Task } from '../cases/task.entity';
import { TimelineEvent } from '../cases/timeline-event.entity';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import type { DeadlineView } from '../deadlines/deadline-view';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { OutboxService } from '../delivery/outbox.service';
import type { OutboxMessage } from '../delivery/outbox-message.entity';
import { DocumentService, type IssuedDocumentSummary } from '../documents/document.service';
import { linkedCases, type LinkedCase } from '../cases/case-links';
import { PersonDataReads } from '../persons/person-data-reads';
import { PersonalCodePolicy } from '../persons/personal-code-policy';
import { AuditService } from '../platform/audit/audit.service';
import { mayAccessCase } from '../platform/auth/case-access';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { InformationRequest } from './info-requests/information-request.entity';
import { InformationAttachment } from './info-requests/information-attachment.entity';
import { applicantOf, type CaseApplicant } from './applicant';
import type { ProcessCaseView } from '../processes/process-module';
import { ProcessRegistry } from '../processes/process-registry';
import { dueDescriber, type DueInfo } from './working-days-left';
import { isUuid } from '../platform/ids';
import {
  loadRegisterChecks,
  personsInChecks,
  registerCheckView,
  type RegisterCheckView,
} from './register-checks-view';

export interface Viewer {
  accountId: string;
  displayName: string;
  municipalityId: string;
  roles: string[];
  /** Role grants (with process keys): they decide whether full personal codes are shown. */
  grants?: { role: string; processKey: string | null }[];
}

/** A person the case is about, as this viewer may see them. */
export interface CaseParty {
  role: 'applicant';
  name: string | null;
  /** Full, or masked for viewers without the right to personal codes; null when unknown. */
  personalCode: string | null;
  masked: boolean;
}

export interface AuditLine {
  at: Date;
  actor: string;
  action: string;
  purpose: string | null;
}

export interface CaseFile {
  case: Case;
  applicant: CaseApplicant;
  /** The process's facts panel, uploads and its own requests (null for a process that adds none). */
  process: ProcessCaseView | null;
  /** What each register said, from the registry checks on the timeline. */
  registers: RegisterResult[];
  /** Each register's answer from the register checks (register_checks), with flags against the declaration. */
  registerChecks: RegisterCheckView[];
  /** Every file the applicant gave: with answers to requests and to the process. */
  uploads: {
    id: string;
    fileName: string;
    mimeType: string;
    sizeBytes: number;
    at: Date;
    href: string;
  }[];
  parties: CaseParty[];
  /** Cases linked to this one, both directions, that the viewer may open. */
  links: LinkedCase[];
  /** Linked cases the viewer may not open: counted, not shown. */
  hiddenLinks: number;
  tasks: (Task & { due: DueInfo; assigneeName: string | null })[];
  deadlines: (DeadlineView & { due: DueInfo })[];
  documents: IssuedDocumentSummary[];
  /** With, for a failed message, the channel of the message sent instead (fallback), and why its channel was chosen. */
  deliveries: (OutboxMessage & {
    fellBackTo: string | null;
    replaces: string | null;
    routeReason: string | null;
  })[];
  /** Status changes reported to the services platform, with where each report is (sent / pending / failed). */
  statusReports: StatusHistoryLine[];
  requests: (InformationRequest & {
    attachments: Pick<InformationAttachment, 'id' | 'fileName' | 'sizeBytes' | 'mimeType'>[];
  })[];
  timeline: (TimelineEvent & { actorName: string })[];
  audit: AuditLine[] | null;
}

/** The request id and client address for the audit entries of a read. */
export interface RequestContext {
  requestId?: string | null;
  ip?: string | null;
}

export interface RegisterResult {
  register: string;
  at: Date;
  data: Record<string, unknown>;
}

/** Task commands (claim, release, reassign, complete) are case handling. */
const TASK_PURPOSE = 'case handling';

/** Roles that may see a case's audit trail. */
export const AUDIT_VIEWERS = ['manager', 'administrator'];

/** The audit trail shows the newest entries of the case, its tasks and its requests. */
const AUDIT_LINES = 200;

/** Everything the case file page shows, read in as few round trips as practical; the read is audited. */
@Injectable()
export class CaseFileService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly deadlines: DeadlinesService,
    private readonly documents: DocumentService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly calendars: CalendarService,
    private readonly reads: PersonDataReads,
    private readonly processes: ProcessRegistry,
    private readonly statuses: ServiceStatusView,
  ) {}

  async load(
    viewer: Viewer,
    caseId: string,
    purpose = 'case handling',
    request: RequestContext = {},
  ): Promise<CaseFile> {
    if (!isUuid(caseId)) throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
    const mid = viewer.municipalityId;
    const codes = PersonalCodePolicy.for(viewer);
    const dues = await dueDescriber(this.calendars, mid);
    const mayAudit = viewer.roles.some((r) => AUDIT_VIEWERS.includes(r));
    // One transaction, one connection: a round trip per read, no BEGIN/COMMIT per section.
    const file = await this.tenantDb.run(mid, async (em) => {
      const c = await em.findOne(Case, { where: { id: caseId } });
      if (!c || !mayAccessCase(viewer, c, 'read'))
        throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
      const deadlines = await this.deadlines.listForCase(mid, caseId, em);
      const documents = await this.documents.listForCase(mid, caseId, em);
      const deliveries = (await this.outbox.listForCase(mid, caseId, em)).filter(
        (m) => m.channel !== 'portal_status',
      );
      const statusReports = await this.statuses.history(mid, caseId, em);
      const applicant = await this.applicant(em, c);
      const taskRows = await em.find(Task, { where: { caseId }, order: { createdAt: 'ASC' } });
      const links = await linkedCases(em, caseId);
      const shownLinks = links.filter((l) =>
        mayAccessCase(viewer, { municipalityId: mid, processKey: l.processKey }, 'read'),
      );
      const timeline = await em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } });
      const names = await this.names(em, [
        ...taskRows.map((t) => t.assigneeId),
        ...timeline.map((e) => e.actor),
      ]);
      const requests = await em.find(InformationRequest, {
        where: { caseId },
        order: { requestedAt: 'ASC' },
      });
      const attachments = requests.length
        ? await em.find(InformationAttachment, {
            where: { caseId },
            select: { id: true, requestId: true, fileName: true, sizeBytes: true, mimeType: true },
          })
        : [];
      const audit = mayAudit
        ? ((await em.query(
            `SELECT at, actor_display AS actor, action, purpose FROM audit_log
              WHERE municipality_id = $1 AND subject_id = ANY($2::text[]) ORDER BY seq DESC LIMIT ${AUDIT_LINES}`,
            [mid, [caseId, ...taskRows.map((t) => t.id), ...requests.map((r) => r.id)]],
          )) as AuditLine[])
        : null;
      // Task commands record the acting account's id as its display: show the person's name.
      const actorNames = audit
        ? await this.names(
            em,
            audit.map((a) => a.actor),
          )
        : new Map<string, string>();
      const process = maskFacts(
        codes,
        (await this.processes.caseView(c.processKey)?.(em, caseId)) ?? null,
      );
      const checks = await loadRegisterChecks(em, caseId);
      // The parties, and everyone the case's documents name (a certificate's subject, the persons it lists).
      const partyCodes = [
        ...new Set([
          ...(await partyCodesOf(this.processes, em, c, applicant)),
          ...(await this.documents.personsNamed(mid, { caseId }, em)),
          // Register answers are these persons' data: each read names them.
          ...personsInChecks(checks),
        ]),
      ];
      const answered = await em.find(InformationAttachment, {
        where: { caseId },
        select: { id: true, fileName: true, sizeBytes: true, mimeType: true, uploadedAt: true },
        order: { uploadedAt: 'ASC' },
      });
      return {
        case: c,
        applicant,
        process,
        registers: timeline
          .filter((e) => e.kind === 'registry.checked')
          .map((e) => ({
            register:
              typeof e.data.register === 'string' && e.data.register ? e.data.register : 'unknown',
            at: e.at,
            data: e.data,
          })),
        registerChecks: checks.map((r) => registerCheckView(r, codes)),
        uploads: [
          ...(process?.uploads ?? []),
          ...answered.map((a) => ({
            id: a.id,
            fileName: a.fileName,
            mimeType: a.mimeType,
            sizeBytes: a.sizeBytes,
            at: a.uploadedAt,
            href: `/workspace/attachments/${a.id}`,
          })),
        ],
        parties: partiesFor(codes, applicant),
        links: shownLinks,
        hiddenLinks: links.length - shownLinks.length,
        partyCodes,
        tasks: taskRows.map((t) =>
          Object.assign(t, {
            due: dues.describe(t.firstDueAt),
            assigneeName: t.assigneeId ? (names.get(t.assigneeId) ?? null) : null,
          }),
        ),
        deadlines: deadlines.map((d) => ({ ...d, due: dues.describe(d.dueOn) })),
        documents,
        deliveries: deliveries.map((d) => ({
          ...d,
          fellBackTo: deliveries.find((x) => x.fallbackOf === d.id)?.channel ?? null,
          replaces: deliveries.find((x) => x.id === d.fallbackOf)?.channel ?? null,
          routeReason: d.history.find((x) => x.event === 'routed')?.detail ?? null,
        })),
        statusReports,
        requests: requests.map((r) =>
          Object.assign(r, { attachments: attachments.filter((a) => a.requestId === r.id) }),
        ),
        timeline: timeline.map((e) =>
          Object.assign(e, { actorName: names.get(e.actor) ?? e.actor }),
        ),
        audit:
          audit?.map((a) => ({
            ...a,
            actor: actorNames.get(a.actor) ?? a.actor,
            purpose: a.purpose ?? (a.action.startsWith('task.') ? TASK_PURPOSE : null),
          })) ?? null,
      };
    });
    // Recorded once read, as statements of their own: the chain's lock is then held only inside
    // the database, not across this transaction's round trips. One entry per person the file shows
    // (the applicant and every party the process names), so each finds it in "Who used my data".
    // Nothing is shown unless it is recorded.
    const { partyCodes, ...shown } = file;
    const actor = actorOf(viewer);
    await this.reads.record(
      {
        municipalityId: mid,
        actor,
        action: 'case.read',
        subject: { type: 'case', id: caseId },
        purpose,
        ...request,
        details: {
          parties: partyCodes.length,
          personalCodes: codes.full ? 'full' : 'masked',
          ...(shown.registerChecks.length ? { registerChecks: shown.registerChecks.length } : {}),
        },
      },
      partyCodes,
    );
    if (shown.audit)
      shown.audit = [
        { at: new Date(), actor: actor.display, action: 'case.read', purpose },
        ...shown.audit,
      ].slice(0, AUDIT_LINES);
    return shown;
  }

  private applicant(em: EntityManager, c: Case): Promise<CaseApplicant> {
    return applicantOf(em, c);
  }

  /**
   * Records that staff opened a file the applicant uploaded to the case: a read of the person's
   * data with its purpose. Nothing is sent unless this is recorded, and nothing is recorded (the
   * upload is "not found") unless the viewer may read the case (mayAccessCase).
   */
  async recordUploadRead(
    viewer: Viewer,
    caseId: string,
    upload: { id: string; fileName: string },
    purpose = 'case handling: evidence',
    request: RequestContext = {},
  ): Promise<void> {
    await this.recordCaseRead(
      viewer,
      caseId,
      'upload.read',
      purpose,
      { upload: upload.id, fileName: upload.fileName },
      request,
      'attachment not found',
    );
  }

  /**
   * Records that staff opened a document of the case (a decision, a notice, a certificate): a read
   * of the data of every party of the case, with its purpose. Refused ("not found") unless the
   * viewer may read the case.
   */
  async recordDocumentRead(
    viewer: Viewer,
    caseId: string,
    doc: { id: string; registrationNumber?: string },
    purpose = 'case handling: document',
    request: RequestContext = {},
  ): Promise<void> {
    await this.recordCaseRead(
      viewer,
      caseId,
      'document.read',
      purpose,
      {
        document: doc.id,
        ...(doc.registrationNumber ? { registrationNumber: doc.registrationNumber } : {}),
      },
      request,
      'document not found',
      doc.id,
    );
  }

  /** Names the case's parties, and with `documentId` everyone that document names (stored at issue). */
  private async recordCaseRead(
    viewer: Viewer,
    caseId: string,
    action: string,
    purpose: string,
    details: Record<string, unknown>,
    request: RequestContext,
    missing: string,
    documentId?: string,
  ): Promise<void> {
    if (!isUuid(caseId)) throw new DomainError(ErrorCode.NotFound, missing);
    const codes = await this.tenantDb.run(viewer.municipalityId, async (em) => {
      const c = await em.findOne(Case, { where: { id: caseId } });
      if (!c || !mayAccessCase(viewer, c, 'read'))
        throw new DomainError(ErrorCode.NotFound, missing);
      const parties = await partyCodesOf(this.processes, em, c, await applicantOf(em, c));
      const named = documentId
        ? await this.documents.personsNamed(viewer.municipalityId, { caseId, documentId }, em)
        : [];
      return [...new Set([...parties, ...named])];
    });
    await this.reads.record(
      {
        municipalityId: viewer.municipalityId,
        actor: actorOf(viewer),
        action,
        subject: { type: 'case', id: caseId },
        purpose,
        ...request,
        details,
      },
      codes,
    );
  }

  private async names(em: EntityManager, ids: (string | null)[]): Promise<Map<string, string>> {
    const uuids = [...new Set(ids.filter((x): x is string => !!x && isUuid(x)))];
    if (!uuids.length) return new Map();
    const rows = (await em.query(
      `SELECT id, display_name FROM accounts WHERE id = ANY($1::uuid[])`,
      [uuids],
    )) as { id: string; display_name: string }[];
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
}

/** The parties shown on the case file: the applicant when there is one (the case row knows no others). */
function partiesFor(codes: PersonalCodePolicy, applicant: CaseFile['applicant']): CaseParty[] {
  if (!applicant.ref) return [];
  const code = applicant.personalCode ? codes.show(applicant.personalCode) : null;
  return [
    {
      role: 'applicant',
      name: applicant.name ?? (codes.full || !code ? applicant.ref : code.value),
      personalCode: code?.value ?? null,
      masked: code?.masked ?? false,
    },
  ];
}

/** Everyone whose data the case file shows: the applicant and the parties its process names (by personal code). */
async function partyCodesOf(
  processes: ProcessRegistry,
  em: EntityManager,
  c: Case,
  applicant: CaseApplicant,
): Promise<string[]> {
  const named = (await processes.caseParties(c.processKey)?.(em, c.id)) ?? [];
  return [...new Set([...(applicant.personalCode ? [applicant.personalCode] : []), ...named])];
}

/** The process's facts as this viewer may see them: personal codes by the one masking rule, no link carrying a full code. */
function maskFacts(
  codes: PersonalCodePolicy,
  view: ProcessCaseView | null,
): ProcessCaseView | null {
  if (!view || codes.full) return view;
  return {
    ...view,
    facts: view.facts.map((f) =>
      f.personalCode && f.value
        ? { label: f.label, value: codes.text(f.value), personalCode: true }
        : f,
    ),
  };
}

const actorOf = (viewer: Viewer) => ({
  accountId: viewer.accountId,
  display: viewer.displayName,
  role: viewer.roles[0] ?? null,
});
