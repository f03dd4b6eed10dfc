import { Inject, Injectable } from '@nestjs/common';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../integrations/address/address-register.port';
import {
  POPULATION_REGISTER,
  type DeclaredResidence,
  type PopulationRegister,
  type RegisterPerson,
} from '../integrations/population/population-register.port';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { mayLookUpPersons, type PurposeInput } from './lookup-purpose';
import { LookupPurposeService, type LookupPurpose } from './lookup-purpose.service';
import { MunicipalPersons } from './municipal-persons';
import { MunicipalResidents } from './municipal-residents';
import { normalizeForSearch, searchTokens } from './name-normalize';
import { PERSON_DATA_AUDIT, type PersonDataAudit } from './person-data-audit';
import { Person } from './person.entity';
import { looksLikePersonalCode, maskPersonalCode, parsePersonalCode } from './personal-code';
import { PersonalCodePolicy } from './personal-code-policy';
import type { CardResidence, PersonCard, PersonSearchResult, PersonSummary } from './persons.types';
import { can, type Viewer } from './viewer';
import { isUuid } from '../platform/ids';

export interface SearchInput extends PurposeInput {
  q: string;
  limit?: number;
}

type Found = { person: Person; source: PersonSummary['source'] };
/** `refused`: the person exists but is neither a resident of the municipality nor party to its cases. */
type FoundPersons = { persons: Found[]; registerUnavailable: boolean; refused?: true };

/** Retryable register errors degrade the answer (municipal data only); anything else is thrown. */
function isUnavailable(e: unknown): boolean {
  return e instanceof DomainError && e.retryable;
}

/** 404 with a message saying why (the person is not the municipality's resident), not that they exist elsewhere. */
function notResident(code: string): DomainError {
  return new DomainError(
    ErrorCode.NotFound,
    `person ${maskPersonalCode(code)} is not a resident of this municipality`,
    [{ field: 'q', message: 'persons:notResident' }],
  );
}

/**
 * Finds residents in the municipal persons table and the population register, takes over
 * register persons the municipality does not know yet, and shows each viewer only the fields
 * their roles allow. Every person shown is an audited read.
 */
@Injectable()
export class PersonsService {
  constructor(
    private readonly municipal: MunicipalPersons,
    @Inject(POPULATION_REGISTER) private readonly population: PopulationRegister,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
    @Inject(PERSON_DATA_AUDIT) private readonly audit: PersonDataAudit,
    private readonly residents: MunicipalResidents,
    private readonly purposes: LookupPurposeService,
  ) {}

  async search(viewer: Viewer, input: SearchInput): Promise<PersonSearchResult> {
    this.requireRead(viewer);
    const q = (typeof input.q === 'string' ? input.q : '').trim();
    const checked = await this.purposes.check(viewer, input);
    const errors = checked.ok ? [] : checked.errors;
    const limit = Math.min(Math.max(Math.trunc(input.limit ?? 20), 1), 50);
    let code: string | null = null;
    if (looksLikePersonalCode(q)) {
      const parsed = parsePersonalCode(q, 'q');
      if (parsed.ok) code = parsed.value.code;
      else errors.push(parsed.error);
    } else if (normalizeForSearch(q).replace(/ /g, '').length < 2) {
      errors.push({ field: 'q', message: 'persons:search.tooShort', params: { min: 2 } });
    }
    if (errors.length || !checked.ok) throw DomainError.validation(errors);
    const purpose = checked.value;

    const found = code
      ? await this.findByCode(viewer.municipalityId, code)
      : await this.findByName(viewer.municipalityId, q, limit);
    if (code && found.refused) {
      await this.audit.recordRefused({
        actor: viewer.accountId,
        municipalityId: viewer.municipalityId,
        personalCodeMasked: maskPersonalCode(code),
        ...auditPurpose(purpose),
      });
      throw notResident(code);
    }
    const items = found.persons.map((p) => this.summary(viewer, p.person, p.source));
    await this.auditAll(
      viewer,
      items.map((i) => i.id),
      purpose,
    );
    return { items, registerUnavailable: found.registerUnavailable };
  }

  async getCard(viewer: Viewer, personId: string, input: PurposeInput): Promise<PersonCard> {
    this.requireRead(viewer);
    const checked = await this.purposes.check(viewer, input);
    if (!checked.ok) throw DomainError.validation(checked.errors);
    const purpose = checked.value;
    const person = isUuid(personId)
      ? await this.municipal.findById(viewer.municipalityId, personId)
      : null;
    if (!person)
      throw new DomainError(ErrorCode.NotFound, 'person not found', [], { id: personId });
    const check = await this.mayShowOrUnavailable(viewer.municipalityId, person.personalCode);
    if (!check.show) {
      await this.audit.recordRefused({
        actor: viewer.accountId,
        municipalityId: viewer.municipalityId,
        personalCodeMasked: maskPersonalCode(person.personalCode),
        ...auditPurpose(purpose),
      });
      throw notResident(person.personalCode);
    }

    const codes = PersonalCodePolicy.for(viewer);
    const showCode = codes.full;
    const showHistory = can(viewer, 'persons.addressHistory');
    const showFamily = can(viewer, 'persons.family');
    const { source: _source, ...summary } = this.summary(viewer, person, 'municipal');
    const card: PersonCard = {
      ...summary,
      sex: person.sex,
      declaredResidence: null,
      addressHistory: null,
      family: null,
      hiddenFields: [
        ...(showCode ? [] : ['personalCode']),
        ...(showHistory ? [] : ['addressHistory']),
        ...(showFamily ? [] : ['family']),
      ],
      registerUnavailable: check.unavailable,
    };
    if (!check.unavailable)
      try {
        const [current, history, family] = await Promise.all([
          this.population.getDeclaredResidence(person.personalCode),
          showHistory
            ? this.population.getResidenceHistory(person.personalCode)
            : Promise.resolve(null),
          showFamily ? this.population.getFamily(person.personalCode) : Promise.resolve(null),
        ]);
        const texts = await this.addressTexts([...(current ? [current] : []), ...(history ?? [])]);
        card.declaredResidence = current ? toCardResidence(current, texts) : null;
        card.addressHistory = history ? history.map((r) => toCardResidence(r, texts)) : null;
        card.family = family
          ? family.map((f) => ({
              relation: f.relation,
              givenName: f.person.givenName,
              familyName: f.person.familyName,
              birthDate: f.person.birthDate,
              personalCode: codes.fullOrNull(f.person.personalCode),
              personalCodeMasked: maskPersonalCode(f.person.personalCode),
            }))
          : null;
      } catch (e) {
        if (!isUnavailable(e)) throw e;
        card.registerUnavailable = true;
      }
    await this.audit.recordRead({
      actor: viewer.accountId,
      municipalityId: viewer.municipalityId,
      personId: person.id,
      ...auditPurpose(purpose),
    });
    return card;
  }

  // ---------------------------------------------------------------------------------------

  /** The access guard's rule (PERSON_LOOKUP_ACCESS) again, for callers that reach the service another way. */
  private requireRead(viewer: Viewer): void {
    const mayLookUp = viewer.grants
      ? mayLookUpPersons(viewer.grants)
      : viewer.roles.some((r) => r === 'manager' || r === 'caseworker:residence');
    if (!mayLookUp || !can(viewer, 'persons.read'))
      throw new DomainError(ErrorCode.Forbidden, 'no right to look people up');
  }

  private async findByCode(municipalityId: string, code: string): Promise<FoundPersons> {
    const local = await this.municipal.findByCode(municipalityId, code);
    if (local) {
      const check = await this.mayShowOrUnavailable(municipalityId, code);
      return check.show
        ? {
            persons: [{ person: local, source: 'municipal' }],
            registerUnavailable: check.unavailable,
          }
        : { persons: [], registerUnavailable: false, refused: true };
    }
    let fromRegister: RegisterPerson | null;
    try {
      fromRegister = await this.population.getPerson(code);
      if (fromRegister && !(await this.residents.mayShow(municipalityId, code)))
        return { persons: [], registerUnavailable: false, refused: true };
    } catch (e) {
      if (isUnavailable(e)) return { persons: [], registerUnavailable: true };
      throw e;
    }
    if (!fromRegister) return { persons: [], registerUnavailable: false };
    const [person] = await this.municipal.takeOver(municipalityId, [fromRegister]);
    return { persons: [{ person, source: 'population_register' }], registerUnavailable: false };
  }

  /**
   * Residents and parties only (MunicipalResidents). A record the municipality already holds was
   * checked when it was taken over, so it stays visible while the register is down.
   */
  private async mayShowOrUnavailable(
    municipalityId: string,
    code: string,
  ): Promise<{ show: boolean; unavailable: boolean }> {
    try {
      return { show: await this.residents.mayShow(municipalityId, code), unavailable: false };
    } catch (e) {
      if (isUnavailable(e)) return { show: true, unavailable: true };
      throw e;
    }
  }

  /**
   * Municipal records by name prefix; the population register is asked as well when the query
   * has at least two words (given and family name), as register queries by name alone would
   * otherwise take over half the country.
   */
  private async findByName(
    municipalityId: string,
    q: string,
    limit: number,
  ): Promise<FoundPersons> {
    const tokens = searchTokens(q, 3);
    const local = await this.municipal.searchByName(municipalityId, tokens, limit);
    const persons: Found[] = [];
    let unavailable = false;
    for (const person of local) {
      const check = await this.mayShowOrUnavailable(municipalityId, person.personalCode);
      unavailable ||= check.unavailable;
      if (check.show) persons.push({ person, source: 'municipal' as const });
    }
    if (tokens.length < 2 || persons.length >= limit)
      return { persons, registerUnavailable: unavailable };
    let hits: RegisterPerson[];
    try {
      hits = await this.population.searchByName({ text: q, limit });
    } catch (e) {
      if (isUnavailable(e)) return { persons, registerUnavailable: true };
      throw e;
    }
    const known = new Set(local.map((p) => p.personalCode));
    const fresh: RegisterPerson[] = [];
    try {
      for (const h of hits) {
        if (fresh.length >= limit - persons.length) break;
        if (
          !known.has(h.personalCode) &&
          (await this.residents.mayShow(municipalityId, h.personalCode))
        )
          fresh.push(h);
      }
    } catch (e) {
      if (isUnavailable(e)) return { persons, registerUnavailable: true };
      throw e;
    }
    if (fresh.length) {
      const taken = await this.municipal.takeOver(municipalityId, fresh);
      persons.push(...taken.map((person) => ({ person, source: 'population_register' as const })));
    }
    return { persons, registerUnavailable: unavailable };
  }

  private summary(viewer: Viewer, p: Person, source: PersonSummary['source']): PersonSummary {
    return {
      id: p.id,
      personalCode: PersonalCodePolicy.for(viewer).fullOrNull(p.personalCode),
      personalCodeMasked: maskPersonalCode(p.personalCode),
      givenName: p.givenName,
      familyName: p.familyName,
      birthDate: p.birthDate,
      source,
    };
  }

  private async addressTexts(rs: DeclaredResidence[]): Promise<Map<string, string>> {
    const codes = [...new Set(rs.map((r) => r.addressCode))];
    const found = await Promise.all(codes.map((c) => this.addresses.getByCode(c)));
    return new Map(found.flatMap((a) => (a ? [[a.code, a.fullText] as const] : [])));
  }

  private async auditAll(
    viewer: Viewer,
    personIds: string[],
    purpose: LookupPurpose,
  ): Promise<void> {
    for (const personId of personIds) {
      await this.audit.recordRead({
        actor: viewer.accountId,
        municipalityId: viewer.municipalityId,
        personId,
        ...auditPurpose(purpose),
      });
    }
  }
}

/** The audit entry keeps the purpose's code (the person's report labels it) and the case it was for. */
function auditPurpose(p: LookupPurpose): { purpose: string; caseId?: string; caseNumber?: string } {
  return p.case
    ? { purpose: p.code, caseId: p.case.id, caseNumber: p.case.number }
    : { purpose: p.code };
}

function toCardResidence(r: DeclaredResidence, texts: Map<string, string>): CardResidence {
  return {
    addressCode: r.addressCode,
    address: texts.get(r.addressCode) ?? null,
    validFrom: r.validFrom,
    validTo: r.validTo,
    status: r.status,
  };
}
