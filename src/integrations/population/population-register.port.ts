/**
 * Port to the population register (Iedzīvotāju reģistrs, kept by PMLP). Personal codes are in the
 * canonical hyphenated form (010190-12345). Implemented by PopulationRegisterGateway (the real
 * register, through the state gateway) and PopulationRegisterSimulator (in-repo, PostgreSQL).
 * Unavailability is a DomainError with a retryable code (external_unavailable / external_timeout).
 */
export const POPULATION_REGISTER = Symbol('POPULATION_REGISTER');

export type Sex = 'M' | 'F';

export interface RegisterPerson {
  personalCode: string;
  givenName: string;
  familyName: string;
  sex: Sex;
  birthDate: string;
  deceasedOn: string | null;
}

export interface NameQuery {
  /** Free text: each word must be a prefix of the given or family name, diacritics ignored. */
  text: string;
  limit?: number;
}

export type FamilyRelation = 'parent' | 'child' | 'guardian' | 'ward';

export interface FamilyLink {
  /** What the related person is to the subject: the subject's parent, child, guardian or ward. */
  relation: FamilyRelation;
  person: RegisterPerson;
}

export type ResidenceStatus = 'active' | 'ended' | 'annulled';

export interface DeclaredResidence {
  id: string;
  addressCode: string;
  validFrom: string;
  validTo: string | null;
  status: ResidenceStatus;
  basis: string | null;
  annulledFrom: string | null;
}

export interface RegisterResidenceRequest {
  /** Idempotency key (e.g. case number + step): repeating a request returns the first result. */
  requestRef: string;
  personalCode: string;
  addressCode: string;
  validFrom: string;
  basis: string;
}

export interface AnnulResidenceRequest {
  requestRef: string;
  personalCode: string;
  residenceId: string;
  /** Declaration date (no basis at declaration) or decision date (basis lost later). */
  annulledFrom: string;
}

export interface PopulationRegister {
  getPerson(personalCode: string): Promise<RegisterPerson | null>;
  searchByName(query: NameQuery): Promise<RegisterPerson[]>;
  getFamily(personalCode: string): Promise<FamilyLink[]>;
  getDeclaredResidence(personalCode: string): Promise<DeclaredResidence | null>;
  /** Newest first, annulled entries included. */
  getResidenceHistory(personalCode: string): Promise<DeclaredResidence[]>;
  /** Persons whose current declared residence is at the address (for owners' certificates). */
  listDeclaredAt(addressCode: string): Promise<RegisterPerson[]>;
  /** Records a new declared residence; the previous one ends the day before validFrom. */
  registerResidence(req: RegisterResidenceRequest): Promise<DeclaredResidence>;
  /** Annuls a declared residence; the previous one is not revived (the person has none declared). */
  annulResidence(req: AnnulResidenceRequest): Promise<DeclaredResidence>;
}
