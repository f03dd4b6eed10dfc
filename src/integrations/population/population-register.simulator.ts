import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { nameSearchSql, searchTokens } from '../../persons/name-normalize';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { FaultSwitch } from '../sim/fault-injection';
import type {
  AnnulResidenceRequest,
  DeclaredResidence,
  FamilyLink,
  NameQuery,
  PopulationRegister,
  RegisterPerson,
  RegisterResidenceRequest,
  ResidenceStatus,
  Sex,
} from './population-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

const personCols = (a = ''): string => `${a}personal_code, ${a}given_name, ${a}family_name, ${a}sex,
  to_char(${a}birth_date, 'YYYY-MM-DD') AS birth_date, to_char(${a}deceased_on, 'YYYY-MM-DD') AS deceased_on`;
const PERSON_COLS = personCols();
const RES_COLS = `id::text AS id, address_code, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(valid_to, 'YYYY-MM-DD') AS valid_to, status, basis, to_char(annulled_from, 'YYYY-MM-DD') AS annulled_from`;

interface PersonRow {
  personal_code: string;
  given_name: string;
  family_name: string;
  sex: string;
  birth_date: string;
  deceased_on: string | null;
}
interface ResidenceRow {
  id: string;
  address_code: string;
  valid_from: string;
  valid_to: string | null;
  status: string;
  basis: string | null;
  annulled_from: string | null;
}

const toPerson = (r: PersonRow): RegisterPerson => ({
  personalCode: r.personal_code,
  givenName: r.given_name,
  familyName: r.family_name,
  sex: r.sex as Sex,
  birthDate: r.birth_date,
  deceasedOn: r.deceased_on,
});
const toResidence = (r: ResidenceRow): DeclaredResidence => ({
  id: r.id,
  addressCode: r.address_code,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  status: r.status as ResidenceStatus,
  basis: r.basis,
  annulledFrom: r.annulled_from,
});

/** TypeORM answers UPDATE … RETURNING with [rows, affectedCount]. */
const updated = <T>(res: unknown): T[] =>
  Array.isArray(res) && Array.isArray(res[0]) ? (res[0] as T[]) : (res as T[]);

const dayBefore = (iso: string): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The population register simulated on the sim_* tables, behind a failure switch. */
@Injectable()
export class PopulationRegisterSimulator implements PopulationRegister {
  readonly faults = new FaultSwitch('population');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  getPerson(personalCode: string): Promise<RegisterPerson | null> {
    return this.faults.call(async () => {
      const rows: PersonRow[] = await this.db.query(
        `SELECT ${PERSON_COLS} FROM sim_persons WHERE personal_code = $1`,
        [personalCode],
      );
      return rows[0] ? toPerson(rows[0]) : null;
    });
  }

  searchByName(query: NameQuery): Promise<RegisterPerson[]> {
    return this.faults.call(async () => {
      const tokens = searchTokens(query.text, 3);
      if (tokens.length === 0) return [];
      const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
      const { sql, params } = nameSearchSql({
        table: 'sim_persons',
        columns: `${PERSON_COLS}, family_name_norm, given_name_norm`,
        tokens,
        limit,
      });
      const rows: PersonRow[] = await this.db.query(sql, params);
      return rows.map(toPerson);
    });
  }

  getFamily(personalCode: string): Promise<FamilyLink[]> {
    return this.faults.call(async () => {
      const rows: (PersonRow & { relation: string })[] = await this.db.query(
        `SELECT CASE l.kind WHEN 'parent' THEN 'parent' ELSE 'guardian' END AS relation, ${personCols('p.')}
           FROM sim_family_links l JOIN sim_persons p ON p.personal_code = l.personal_code WHERE l.related_code = $1
         UNION ALL
         SELECT CASE l.kind WHEN 'parent' THEN 'child' ELSE 'ward' END, ${personCols('p.')}
           FROM sim_family_links l JOIN sim_persons p ON p.personal_code = l.related_code WHERE l.personal_code = $1
         ORDER BY 1, 6, 2`,
        [personalCode],
      );
      return rows.map((r) => ({
        relation: r.relation as FamilyLink['relation'],
        person: toPerson(r),
      }));
    });
  }

  getDeclaredResidence(personalCode: string): Promise<DeclaredResidence | null> {
    return this.faults.call(async () => {
      const rows: ResidenceRow[] = await this.db.query(
        `SELECT ${RES_COLS} FROM sim_residences WHERE personal_code = $1 AND status = 'active' AND valid_to IS NULL
         ORDER BY valid_from DESC LIMIT 1`,
        [personalCode],
      );
      return rows[0] ? toResidence(rows[0]) : null;
    });
  }

  getResidenceHistory(personalCode: string): Promise<DeclaredResidence[]> {
    return this.faults.call(async () => {
      const rows: ResidenceRow[] = await this.db.query(
        `SELECT ${RES_COLS} FROM sim_residences WHERE personal_code = $1 ORDER BY valid_from DESC, id DESC`,
        [personalCode],
      );
      return rows.map(toResidence);
    });
  }

  listDeclaredAt(addressCode: string): Promise<RegisterPerson[]> {
    return this.faults.call(async () => {
      const rows: PersonRow[] = await this.db.query(
        `SELECT ${PERSON_COLS} FROM sim_persons WHERE personal_code IN (
           SELECT personal_code FROM sim_residences WHERE address_code = $1 AND status = 'active' AND valid_to IS NULL)
         ORDER BY birth_date, personal_code`,
        [addressCode],
      );
      return rows.map(toPerson);
    });
  }

  registerResidence(req: RegisterResidenceRequest): Promise<DeclaredResidence> {
    return this.faults.call(() =>
      this.db.transaction(async (em) => {
        const done = await this.byRequestRef(em, req.requestRef);
        if (done) return done;
        await this.lockPerson(em, req.personalCode);
        const address = await em.query(`SELECT 1 FROM sim_addresses WHERE code = $1`, [
          req.addressCode,
        ]);
        if (address.length === 0) {
          throw DomainError.validation([
            { field: 'addressCode', message: 'registers:address.unknown' },
          ]);
        }
        await em.query(
          `UPDATE sim_residences SET valid_to = GREATEST(valid_from, $2::date), status = 'ended'
            WHERE personal_code = $1 AND status = 'active' AND valid_to IS NULL`,
          [req.personalCode, dayBefore(req.validFrom)],
        );
        const rows: ResidenceRow[] = await em.query(
          `INSERT INTO sim_residences (personal_code, address_code, valid_from, status, basis, request_ref)
           VALUES ($1, $2, $3, 'active', $4, $5) RETURNING ${RES_COLS}`,
          [req.personalCode, req.addressCode, req.validFrom, req.basis, req.requestRef],
        );
        return toResidence(rows[0]);
      }),
    );
  }

  annulResidence(req: AnnulResidenceRequest): Promise<DeclaredResidence> {
    return this.faults.call(() =>
      this.db.transaction(async (em) => {
        const done = await this.byRequestRef(em, req.requestRef);
        if (done) return done;
        await this.lockPerson(em, req.personalCode);
        const rows = updated<ResidenceRow>(
          await em.query(
            `UPDATE sim_residences SET status = 'annulled', annulled_from = $3, request_ref = $4,
                  valid_to = COALESCE(valid_to, GREATEST(valid_from, $3::date))
            WHERE id = $1 AND personal_code = $2 AND status <> 'annulled' RETURNING ${RES_COLS}`,
            [req.residenceId, req.personalCode, req.annulledFrom, req.requestRef],
          ),
        );
        if (rows.length === 0)
          throw new DomainError(ErrorCode.NotFound, 'no such active residence', [], {
            id: req.residenceId,
          });
        return toResidence(rows[0]);
      }),
    );
  }

  private async byRequestRef(em: EntityManager, ref: string): Promise<DeclaredResidence | null> {
    const rows: ResidenceRow[] = await em.query(
      `SELECT ${RES_COLS} FROM sim_residences WHERE request_ref = $1`,
      [ref],
    );
    return rows[0] ? toResidence(rows[0]) : null;
  }

  private async lockPerson(em: EntityManager, code: string): Promise<void> {
    const rows = await em.query(`SELECT 1 FROM sim_persons WHERE personal_code = $1 FOR UPDATE`, [
      code,
    ]);
    if (rows.length === 0)
      throw new DomainError(ErrorCode.NotFound, 'person not in the population register', [], {
        code,
      });
  }
}
