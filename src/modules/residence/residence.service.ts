import { EMAIL_MAX, isEmailAddress } from '../../platform/email';
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CaseService } from '../../cases/case.service';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
  type RegisterAddress,
} from '../../integrations/address/address-register.port';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../integrations/population/population-register.port';
import {
  PROPERTY_REGISTER,
  type PropertyRegister,
} from '../../integrations/property/property-register.port';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import {
  documentsSupplied,
  annulmentUpdate,
} from '../../../workflows/residence-declaration/events';
import { parsePersonalCode } from '../../persons/personal-code';
import {
  ResidenceAnnulment,
  ResidenceAttachment,
  ResidenceDeclaration,
} from './residence-declaration.entity';
import { MunicipalDates } from './municipal-dates';
import type { ParameterListItem } from '../../parameters/parameter.entity';
import { ParametersService } from '../../parameters/parameters.service';
import { ANNULMENT_GROUNDS_KEY } from '../../../workflows/residence-declaration/periods';
import { ResidenceFeesService } from './residence-fees.service';
import { representable } from './residence.rules';
import { documentRequests } from './residence.requests';
import type { ProcessRequest } from '../../processes/process-module';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_TYPES,
  CHANNELS,
  LEGAL_BASES,
  type LegalBasis,
  type SubmissionChannel,
} from './residence.types';

export interface DeclarationSubmission {
  municipalityId: string;
  /** Unique per form submission (a hidden field): the same key twice opens one case. */
  submissionKey: string;
  channel: SubmissionChannel;
  applicantCode: string;
  personCodes: string[];
  addressCode: string;
  basis: string;
  basisNote?: string | null;
  contactEmail?: string | null;
  lang?: string;
  /** Account id of whoever entered it (the citizen, or the caseworker at the counter). */
  enteredBy: string;
}

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface AnnulmentApplication {
  municipalityId: string;
  personCode: string;
  initiatedBy: 'owner' | 'ex-officio';
  /** The owner applying (required when initiatedBy = owner). */
  applicantCode?: string | null;
  /** Code of a ground for annulment in the list in force today (the parameter `residence-annulment.grounds`). */
  groundCode: string;
  /** The explanation of the ground (free text). */
  grounds: string;
  enteredBy: string;
}

const err = (field: string, key: string): FieldError => ({
  field,
  message: `residence:errors.${key}`,
});
/** Free text kept with a case (basis note, annulment grounds): the views' `maxlength` matches. */
export const NOTE_MAX = 2000;
const tooLong = (field: string, max: number): FieldError => ({
  field,
  message: 'errors:fieldTooLong',
  params: { max },
});

/** Residence declarations and annulments: validates input, writes the case file, starts the runs. */
@Injectable()
export class ResidenceService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly cases: CaseService,
    private readonly fees: ResidenceFeesService,
    private readonly dates: MunicipalDates,
    private readonly parameters: ParametersService,
    @Inject(POPULATION_REGISTER) private readonly population: PopulationRegister,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
    @Inject(PROPERTY_REGISTER) private readonly property: PropertyRegister,
  ) {}

  /** Validates everything first (field-level errors, nothing written), then opens the case once per submission key. */
  async submitDeclaration(
    s: DeclarationSubmission,
  ): Promise<{ declaration: ResidenceDeclaration; caseId: string; created: boolean }> {
    const existing = await this.findBySubmission(s.municipalityId, s.submissionKey);
    if (existing?.caseId) return { declaration: existing, caseId: existing.caseId, created: false };
    const { applicant, persons, address } = await this.validateDeclaration(s);
    const declaredOn = await this.dates.today(s.municipalityId);
    const feeCents = await this.fees.feeCents(s.municipalityId, s.channel, declaredOn);
    // One transaction per submission key, serialised by an advisory lock: a concurrent duplicate
    // waits and then finds the case; a crash before commit leaves no declaration behind, so the
    // same submission can simply be sent again.
    return this.tenantDb.run(s.municipalityId, async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `residence:${s.municipalityId}:${s.submissionKey}`,
      ]);
      const again = await em.findOne(ResidenceDeclaration, {
        where: { submissionKey: s.submissionKey },
      });
      if (again?.caseId) return { declaration: again, caseId: again.caseId, created: false };
      const row = await em.save(
        em.create(ResidenceDeclaration, {
          municipalityId: s.municipalityId,
          submissionKey: s.submissionKey,
          channel: s.channel,
          applicantCode: applicant,
          personCodes: persons,
          addressCode: address.code,
          addressText: address.fullText,
          basis: s.basis as LegalBasis,
          basisNote: s.basisNote?.trim() || null,
          contactEmail: s.contactEmail?.trim() || null,
          lang: s.lang ?? 'lv',
          feeCents,
          declaredOn,
          enteredBy: s.enteredBy,
          caseId: null,
        }),
      );
      // The case is opened in this transaction; its run starts once the declaration has committed.
      const c = await this.cases.open(
        {
          municipalityId: s.municipalityId,
          processKey: 'residence-declaration',
          title: `residence:case.declarationTitle`,
          applicantRef: applicant,
          actor: s.enteredBy,
          channel: s.channel === 'online' ? 'e_service' : 'counter',
          input: {
            declarationId: row.id,
            applicantCode: applicant,
            personCodes: persons,
            addressCode: address.code,
            basis: s.basis,
          },
        },
        em,
      );
      await em.update(ResidenceDeclaration, { id: row.id }, { caseId: c.id });
      return { declaration: { ...row, caseId: c.id }, caseId: c.id, created: true };
    });
  }

  private async validateDeclaration(
    s: DeclarationSubmission,
  ): Promise<{ applicant: string; persons: string[]; address: RegisterAddress }> {
    const errors: FieldError[] = [];
    if (!s.submissionKey || s.submissionKey.length > 100)
      errors.push(err('submissionKey', 'submissionKey'));
    if (!(CHANNELS as readonly string[]).includes(s.channel))
      errors.push(err('channel', 'channel'));
    if (!(LEGAL_BASES as readonly string[]).includes(s.basis)) errors.push(err('basis', 'basis'));
    if (s.basis === 'other' && !s.basisNote?.trim())
      errors.push(err('basisNote', 'basisNoteRequired'));
    if ((s.basisNote?.length ?? 0) > NOTE_MAX) errors.push(tooLong('basisNote', NOTE_MAX));
    if ((s.contactEmail?.length ?? 0) > EMAIL_MAX) errors.push(tooLong('contactEmail', EMAIL_MAX));
    else if (s.contactEmail?.trim() && !isEmailAddress(s.contactEmail.trim()))
      errors.push(err('contactEmail', 'email'));
    const applicant = parsePersonalCode(s.applicantCode ?? '', 'applicantCode');
    if (!applicant.ok) errors.push(applicant.error);
    const codes = (s.personCodes ?? []).filter((c) => c.trim() !== '');
    if (codes.length === 0) errors.push(err('persons', 'personsRequired'));
    if (codes.length > 20) errors.push(err('persons', 'tooManyPersons'));
    const parsed = codes.slice(0, 20).map((c, i) => parsePersonalCode(c, `persons[${i}]`));
    for (const p of parsed) if (!p.ok) errors.push(p.error);
    if (!/^\d{9}$/.test(s.addressCode ?? '')) errors.push(err('addressCode', 'addressFormat'));
    if (errors.length) throw DomainError.validation(errors);

    const applicantCode = applicant.ok ? applicant.value.code : '';
    const persons = [...new Set(parsed.flatMap((p) => (p.ok ? [p.value.code] : [])))];
    const [person, family, address] = await Promise.all([
      this.population.getPerson(applicantCode),
      this.population.getFamily(applicantCode),
      this.addresses.getByCode(s.addressCode),
    ]);
    if (!person) errors.push(err('applicantCode', 'personUnknown'));
    if (!address) errors.push(err('addressCode', 'addressUnknown'));
    else if (address.kind === 'building') errors.push(err('addressCode', 'addressNotDwelling'));
    const allowed = representable(applicantCode, family, await this.dates.today(s.municipalityId));
    persons.forEach((code, i) => {
      if (!allowed.has(code))
        errors.push({ ...err(`persons[${i}]`, 'notRepresentable'), params: { code } });
    });
    if (errors.length) throw DomainError.validation(errors);
    return { applicant: applicantCode, persons, address: address! };
  }

  findBySubmission(
    municipalityId: string,
    submissionKey: string,
  ): Promise<ResidenceDeclaration | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(ResidenceDeclaration, { where: { submissionKey } }),
    );
  }

  findByCase(municipalityId: string, caseId: string): Promise<ResidenceDeclaration | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(ResidenceDeclaration, { where: { caseId } }),
    );
  }

  findAnnulmentByCase(municipalityId: string, caseId: string): Promise<ResidenceAnnulment | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(ResidenceAnnulment, { where: { caseId } }),
    );
  }

  /** Validates and stores the uploads, then tells the run; only the applicant may answer. */
  async supplyDocuments(
    municipalityId: string,
    caseId: string,
    applicantCode: string,
    accountId: string,
    files: UploadedFile[],
  ): Promise<string[]> {
    const d = await this.findByCase(municipalityId, caseId);
    if (!d || d.applicantCode !== applicantCode)
      throw new DomainError(ErrorCode.NotFound, `declaration case ${caseId} not found`);
    const ids = await this.storeAttachments(municipalityId, caseId, accountId, files, async () => {
      const c = await this.cases.get(municipalityId, caseId);
      if (c.stage !== 'awaiting-documents')
        throw new DomainError(ErrorCode.Conflict, 'no documents were requested');
    });
    await this.cases.signal(
      accountId,
      municipalityId,
      caseId,
      documentsSupplied.topic.topic,
      { attachmentIds: ids, suppliedBy: accountId, suppliedAt: new Date().toISOString() },
      `supplied:${ids.join(',')}`,
    );
    return ids;
  }

  private async storeAttachments(
    municipalityId: string,
    caseId: string,
    accountId: string,
    files: UploadedFile[],
    check: () => Promise<void>,
  ): Promise<string[]> {
    const errors: FieldError[] = [];
    if (files.length === 0) errors.push(err('files', 'filesRequired'));
    files.forEach((f, i) => {
      const problem = fileTypeProblem(f);
      if (problem) errors.push(err(`files[${i}]`, problem));
      if (f.size > ATTACHMENT_MAX_BYTES)
        errors.push({
          ...err(`files[${i}]`, 'fileTooLarge'),
          params: { maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 },
        });
    });
    if (errors.length) throw DomainError.validation(errors);
    await check();
    return this.tenantDb.run(municipalityId, async (em) => {
      const ids: string[] = [];
      for (const f of files) {
        const row = await em.save(
          em.create(ResidenceAttachment, {
            municipalityId,
            caseId,
            fileName: f.originalname.slice(0, 200),
            mimeType: f.mimetype,
            sizeBytes: f.size,
            sha256: createHash('sha256').update(f.buffer).digest('hex'),
            content: f.buffer,
            uploadedBy: accountId,
          }),
        );
        ids.push(row.id);
      }
      return ids;
    });
  }

  /** Opens an annulment (owner's application or ex officio) of the person's current declaration. */
  async startAnnulment(
    a: AnnulmentApplication,
  ): Promise<{ annulment: ResidenceAnnulment; caseId: string }> {
    const errors: FieldError[] = [];
    const person = parsePersonalCode(a.personCode ?? '', 'personCode');
    if (!person.ok) errors.push(person.error);
    if (!['owner', 'ex-officio'].includes(a.initiatedBy))
      errors.push(err('initiatedBy', 'initiatedBy'));
    const owner =
      a.initiatedBy === 'owner' ? parsePersonalCode(a.applicantCode ?? '', 'applicantCode') : null;
    if (owner && !owner.ok) errors.push(owner.error);
    const ground = await this.groundInForce(a.municipalityId, a.groundCode);
    if (!ground.ok) errors.push(ground.error);
    if (!a.grounds?.trim()) errors.push(err('grounds', 'groundsRequired'));
    else if (a.grounds.length > NOTE_MAX) errors.push(tooLong('grounds', NOTE_MAX));
    if (errors.length || !ground.ok) throw DomainError.validation(errors);
    const code = person.ok ? person.value.code : '';
    const residence = await this.population.getDeclaredResidence(code);
    if (!residence || residence.status !== 'active')
      throw DomainError.validation([err('personCode', 'noDeclaredResidence')]);
    const ownerCode = owner?.ok ? owner.value.code : null;
    if (ownerCode) {
      const props = await this.property.getByAddress(residence.addressCode);
      if (!props.some((p) => p.owners.some((o) => o.ownerCode === ownerCode)))
        throw DomainError.validation([err('applicantCode', 'notOwner')]);
    }
    // The annulment and its case in one transaction; the run starts once both have committed.
    return this.tenantDb.run(a.municipalityId, async (em) => {
      const annulment = await em.save(
        em.create(ResidenceAnnulment, {
          municipalityId: a.municipalityId,
          personCode: code,
          residenceId: residence.id,
          addressCode: residence.addressCode,
          declaredOn: residence.validFrom,
          initiatedBy: a.initiatedBy,
          applicantCode: ownerCode,
          grounds: a.grounds.trim(),
          groundCode: ground.item.code,
          ground: ground.item,
          annulledCodes: [],
        }),
      );
      const c = await this.cases.open(
        {
          municipalityId: a.municipalityId,
          processKey: 'residence-annulment',
          title: 'residence:case.annulmentTitle',
          applicantRef: ownerCode,
          actor: a.enteredBy,
          input: { annulmentId: annulment.id, declaredOn: residence.validFrom },
        },
        em,
      );
      await em.update(ResidenceAnnulment, { id: annulment.id }, { caseId: c.id });
      return { annulment: { ...annulment, caseId: c.id }, caseId: c.id };
    });
  }

  /** The grounds for annulment in force today in the municipality (the staff form offers these). */
  async groundsInForce(municipalityId: string): Promise<ParameterListItem[]> {
    return (
      await this.parameters.effectiveList(
        municipalityId,
        ANNULMENT_GROUNDS_KEY,
        await this.dates.today(municipalityId),
      )
    ).items;
  }

  private async groundInForce(
    municipalityId: string,
    code: string | undefined,
  ): Promise<{ ok: true; item: ParameterListItem } | { ok: false; error: FieldError }> {
    if (!code?.trim()) return { ok: false, error: err('groundCode', 'groundRequired') };
    const item = (await this.groundsInForce(municipalityId)).find((g) => g.code === code.trim());
    return item ? { ok: true, item } : { ok: false, error: err('groundCode', 'groundUnknown') };
  }

  /** The person whose declaration may be annulled shows a legal basis (uploads proof). */
  async respondToAnnulment(
    municipalityId: string,
    caseId: string,
    personCode: string,
    accountId: string,
    files: UploadedFile[],
    note: string,
  ): Promise<string[]> {
    const a = await this.findAnnulmentByCase(municipalityId, caseId);
    if (!a || a.personCode !== personCode)
      throw new DomainError(ErrorCode.NotFound, `annulment case ${caseId} not found`);
    if (note.length > NOTE_MAX) throw DomainError.validation([tooLong('note', NOTE_MAX)]);
    const ids = await this.storeAttachments(municipalityId, caseId, accountId, files, async () => {
      if (a.status !== 'open') throw new DomainError(ErrorCode.Conflict, 'annulment is decided');
    });
    await this.cases.signal(
      accountId,
      municipalityId,
      caseId,
      annulmentUpdate.topic.topic,
      {
        kind: 'response',
        attachmentIds: ids,
        note: note.slice(0, 2000),
        at: new Date().toISOString(),
      },
      `response:${ids.join(',')}`,
    );
    return ids;
  }

  /** One uploaded file with its bytes (row-level security keeps it to the municipality). */
  async attachment(municipalityId: string, id: string): Promise<ResidenceAttachment> {
    const a = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
      ? await this.tenantDb.run(municipalityId, (em) =>
          em.findOne(ResidenceAttachment, { where: { id } }),
        )
      : null;
    if (!a) throw new DomainError(ErrorCode.NotFound, 'attachment not found');
    return a;
  }

  /** The review's requests for documents ("Ask the applicant for documents"), oldest first. */
  documentRequests(municipalityId: string, caseId: string): Promise<ProcessRequest[]> {
    return this.tenantDb.run(municipalityId, (em) => documentRequests(em, caseId));
  }

  /** Uploaded files of a case, without their content. */
  attachments(
    municipalityId: string,
    caseId: string,
  ): Promise<
    Pick<ResidenceAttachment, 'id' | 'fileName' | 'mimeType' | 'sizeBytes' | 'createdAt'>[]
  > {
    return this.tenantDb.run(municipalityId, (em) =>
      em.find(ResidenceAttachment, {
        where: { caseId },
        select: ['id', 'fileName', 'mimeType', 'sizeBytes', 'createdAt'],
        order: { createdAt: 'ASC' },
      }),
    );
  }
}

/** The type a file's content shows by its magic bytes, or null when it is none of the accepted ones. */
function contentType(b: Buffer): (typeof ATTACHMENT_TYPES)[number] | null {
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.length > 8 && b.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return null;
}

const TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/**
 * Judged by content, not by name: a file that is no PDF, JPEG or PNG is refused as such; one that
 * is, but whose name or declared type says otherwise (a PNG named .pdf), is refused as mismatched.
 */
export function fileTypeProblem(f: UploadedFile): 'fileType' | 'fileMismatch' | null {
  const actual = contentType(f.buffer);
  if (!actual) return 'fileType';
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(f.originalname)?.[1]?.toLowerCase() ?? '';
  const byName = TYPE_BY_EXTENSION[ext];
  if (byName !== actual || f.mimetype !== actual) return 'fileMismatch';
  return null;
}
