import { Injectable, Logger } from '@nestjs/common';

/** One read of a person's data: who, in which municipality, whose record, why (the time is the audit log's). */
export interface PersonDataRead {
  /** Account id of the viewer. */
  actor: string;
  municipalityId: string;
  /** Municipal persons.id of the record read. */
  personId: string;
  /** The purpose the viewer gave (case number or reason), shown in the per-person report. */
  purpose: string;
}

/** Port to the audit log for reads of personal data (the audit log itself is built elsewhere). */
export interface PersonDataAudit {
  recordRead(entry: PersonDataRead): Promise<void>;
}

export const PERSON_DATA_AUDIT = Symbol('PERSON_DATA_AUDIT');

/**
 * TEMPORARY — FOR THE LEAD TO WIRE: replace this binding of PERSON_DATA_AUDIT with the
 * hash-chained audit log (worktree /work/wt/audit). Until then every read is only written to
 * the application log, which is not append-only and not queryable per person.
 */
@Injectable()
export class LogOnlyPersonDataAudit implements PersonDataAudit {
  private readonly log = new Logger('PersonDataAudit');

  recordRead(entry: PersonDataRead): Promise<void> {
    this.log.log({ msg: 'person data read', ...entry, at: new Date().toISOString() });
    return Promise.resolve();
  }
}
