import { Inject, Injectable } from '@nestjs/common';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../integrations/population/population-register.port';
import {
  AuditService,
  type AuditActor,
  type AuditReadInput,
} from '../platform/audit/audit.service';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { Person } from './person.entity';
import { compactPersonalCode, formatPersonalCode } from './personal-code';

/** A person a read names: by personal code, with what the caller already knows of them (a list row). */
export interface NamedPerson {
  personalCode: string;
  givenName?: string;
  familyName?: string;
  birthDate?: string | null;
}

/** One read of personal data, without the person: who, why, what (a case, a document, a list). */
export interface PersonalDataRead {
  municipalityId: string;
  actor: AuditActor;
  action: string;
  subject: { type: string; id: string };
  purpose: string;
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

const canonical = (code: string): string | null => {
  const digits = compactPersonalCode(code);
  return digits ? formatPersonalCode(digits) : null;
};

/**
 * Records reads of personal data so that every person whose data was shown finds the read in
 * their "Who used my data" (issue 12 M2): one audit entry per person, naming their person record
 * in the municipality (`persons.id`, which the report looks up by the resident's personal code).
 *
 * A person the municipality holds no record of yet (a co-declared person, a resident on a list of
 * the register extract) is taken over into the persons table first, as a person search does,
 * from what the caller knows or else from the population register; if the register cannot say,
 * a record with the code alone is kept (the register fills nothing later, but the read is named).
 * A record, not a hash of the code, because the report, the case file and the person card all key
 * on `persons.id`, and the municipality may hold its residents' and parties' records anyway.
 */
@Injectable()
export class PersonDataReads {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    @Inject(POPULATION_REGISTER) private readonly population: PopulationRegister,
  ) {}

  /** The person ids of these people in the municipality (by canonical code), creating missing records. */
  async personIds(
    municipalityId: string,
    people: (NamedPerson | string)[],
  ): Promise<Map<string, string>> {
    const byCode = new Map<string, NamedPerson>();
    for (const p of people) {
      const named = typeof p === 'string' ? { personalCode: p } : p;
      const code = canonical(named.personalCode);
      if (code && !byCode.has(code)) byCode.set(code, { ...named, personalCode: code });
    }
    if (byCode.size === 0) return new Map();
    const codes = [...byCode.keys()];
    const held = await this.held(municipalityId, codes);
    const missing = codes.filter((c) => !held.has(c)).map((c) => byCode.get(c)!);
    if (missing.length === 0) return held;
    const rows: Person[] = [];
    for (const p of missing) rows.push(await this.recordOf(municipalityId, p));
    await this.tenantDb.run(municipalityId, async (em) => {
      await em.createQueryBuilder().insert().into(Person).values(rows).orIgnore().execute();
    });
    return this.held(municipalityId, codes);
  }

  /**
   * One entry per person named (none named: one entry without a person, so the read is still on
   * the record). Nothing is shown by the caller unless this resolves.
   */
  async record(
    read: PersonalDataRead,
    people: (NamedPerson | string)[],
  ): Promise<{ personIds: string[] }> {
    const ids = [...new Set((await this.personIds(read.municipalityId, people)).values())];
    if (ids.length === 0) {
      await this.audit.record({ ...read, personId: null });
      return { personIds: [] };
    }
    await this.audit.recordReads(ids.map((personId): AuditReadInput => ({ ...read, personId })));
    return { personIds: ids };
  }

  private held(municipalityId: string, codes: string[]): Promise<Map<string, string>> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const rows = (await em.query(
        `SELECT id, personal_code FROM persons WHERE municipality_id = $1 AND personal_code = ANY($2::text[])`,
        [municipalityId, codes],
      )) as { id: string; personal_code: string }[];
      return new Map(rows.map((r) => [r.personal_code, r.id]));
    });
  }

  private async recordOf(municipalityId: string, p: NamedPerson): Promise<Person> {
    let known: Pick<Person, 'givenName' | 'familyName' | 'birthDate' | 'sex'> | null =
      p.givenName || p.familyName
        ? {
            givenName: p.givenName ?? '',
            familyName: p.familyName ?? '',
            birthDate: p.birthDate || null,
            sex: null,
          }
        : null;
    let takenOver = known !== null;
    if (!known) {
      const r = await this.population.getPerson(p.personalCode).catch(() => null);
      takenOver = r !== null;
      known = r
        ? { givenName: r.givenName, familyName: r.familyName, birthDate: r.birthDate, sex: r.sex }
        : { givenName: '', familyName: '', birthDate: null, sex: null };
    }
    const row = Object.assign(new Person(), {
      municipalityId,
      personalCode: p.personalCode,
      ...known,
      takenOverAt: takenOver ? new Date() : null,
    });
    row.normalizeNames(); // the query builder does not run entity listeners
    return row;
  }
}
