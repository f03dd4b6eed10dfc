import { Injectable } from '@nestjs/common';
import { AuditService } from '../platform/audit/audit.service';

/** One read of a person's data: who, in which municipality, whose record, why (the time is the audit log's). */
export interface PersonDataRead {
  /** Account id of the viewer. */
  actor: string;
  municipalityId: string;
  /** Municipal persons.id of the record read. */
  personId: string;
  /** The purpose the viewer chose (a code of LOOKUP_PURPOSES), shown in the per-person report. */
  purpose: string;
  /** The case the purpose names, when it needs one. */
  caseId?: string;
  caseNumber?: string;
}

/** Port to the audit log for reads of personal data (the audit log itself is built elsewhere). */
/** A look-up refused because the person is not the municipality's resident (nothing was shown). */
export interface PersonLookupRefused {
  actor: string;
  municipalityId: string;
  personalCodeMasked: string;
  purpose: string;
  caseId?: string;
  caseNumber?: string;
}

export interface PersonDataAudit {
  recordRead(entry: PersonDataRead): Promise<void>;
  recordRefused(entry: PersonLookupRefused): Promise<void>;
}

export const PERSON_DATA_AUDIT = Symbol('PERSON_DATA_AUDIT');

/** Reads of personal data go to the hash-chained audit log, where the resident's report finds them. */
@Injectable()
export class AuditLogPersonDataAudit implements PersonDataAudit {
  constructor(private readonly audit: AuditService) {}

  async recordRead(entry: PersonDataRead): Promise<void> {
    await this.audit.recordRead({
      municipalityId: entry.municipalityId,
      actor: { accountId: entry.actor, display: entry.actor },
      personId: entry.personId,
      subject: { type: 'person', id: entry.personId },
      purpose: entry.purpose,
      ...(entry.caseId ? { details: { caseId: entry.caseId, caseNumber: entry.caseNumber } } : {}),
    });
  }

  async recordRefused(entry: PersonLookupRefused): Promise<void> {
    await this.audit.record({
      municipalityId: entry.municipalityId,
      actor: { accountId: entry.actor, display: entry.actor },
      action: 'person.lookup_refused',
      purpose: entry.purpose || null,
      details: {
        personalCode: entry.personalCodeMasked,
        reason: 'not_resident',
        ...(entry.caseId ? { caseId: entry.caseId, caseNumber: entry.caseNumber } : {}),
      },
    });
  }
}
