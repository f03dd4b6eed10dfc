import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RegisterPerson } from '../integrations/population/population-register.port';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { nameSearchSql } from './name-normalize';
import { Person } from './person.entity';

/** The municipal persons table (tenant-scoped, through TenantDb): lookups and takeover. */
@Injectable()
export class MunicipalPersons {
  constructor(private readonly tenantDb: TenantDb) {}

  findById(municipalityId: string, id: string): Promise<Person | null> {
    return this.tenantDb.run(municipalityId, (em) => em.findOne(Person, { where: { id } }));
  }

  findByCode(municipalityId: string, personalCode: string): Promise<Person | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(Person, { where: { personalCode } }),
    );
  }

  /** Name-prefix search (see nameSearchSql), in family, given name, code order. */
  searchByName(municipalityId: string, tokens: string[], limit: number): Promise<Person[]> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const { sql, params } = nameSearchSql({
        table: 'persons',
        columns: 'id, family_name_norm, given_name_norm, personal_code',
        tokens,
        limit,
        scope: { column: 'municipality_id', value: municipalityId },
      });
      const ids: { id: string }[] = await em.query(sql, params);
      if (ids.length === 0) return [];
      const byId = new Map(
        (await em.find(Person, { where: ids.map((r) => ({ id: r.id })) })).map((p) => [p.id, p]),
      );
      return ids.flatMap((r) => byId.get(r.id) ?? []);
    });
  }

  /**
   * Takes register persons over into the municipal table. Idempotent: a concurrent or earlier
   * takeover of the same code wins and is returned. Same order as `people`.
   */
  takeOver(municipalityId: string, people: RegisterPerson[]): Promise<Person[]> {
    return this.tenantDb.run(municipalityId, (em) => this.insert(em, municipalityId, people));
  }

  private async insert(
    em: EntityManager,
    municipalityId: string,
    people: RegisterPerson[],
  ): Promise<Person[]> {
    if (people.length === 0) return [];
    const rows = people.map((p) => {
      const row = em.create(Person, {
        municipalityId,
        personalCode: p.personalCode,
        givenName: p.givenName,
        familyName: p.familyName,
        birthDate: p.birthDate,
        sex: p.sex,
        takenOverAt: new Date(),
      });
      row.normalizeNames(); // the query builder does not run entity listeners
      return row;
    });
    // The copy is re-derivable from the register, so the commit need not wait for the WAL flush;
    // the audited read that follows commits synchronously and so makes this row durable first.
    await em.query(`SET LOCAL synchronous_commit = off`);
    await em.createQueryBuilder().insert().into(Person).values(rows).orIgnore().execute();
    const saved = await em.find(Person, {
      where: people.map((p) => ({ personalCode: p.personalCode })),
    });
    const byCode = new Map(saved.map((s) => [s.personalCode, s]));
    return people.map((p) => byCode.get(p.personalCode)!);
  }
}
