/** What the persons API returns. Fields the viewer may not see are null and listed in hiddenFields. */
export interface PersonSummary {
  id: string;
  personalCode: string | null;
  personalCodeMasked: string;
  givenName: string;
  familyName: string;
  birthDate: string | null;
  /** 'population_register' when this search took the person over from the register. */
  source: 'municipal' | 'population_register';
}

export interface PersonSearchResult {
  items: PersonSummary[];
  /** True when the population register could not be asked: only municipal records are listed. */
  registerUnavailable: boolean;
}

export interface CardResidence {
  addressCode: string;
  address: string | null;
  validFrom: string;
  validTo: string | null;
  status: string;
}

export interface CardRelative {
  relation: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  personalCode: string | null;
  personalCodeMasked: string;
}

export interface PersonCard extends Omit<PersonSummary, 'source'> {
  sex: string | null;
  declaredResidence: CardResidence | null;
  addressHistory: CardResidence[] | null;
  family: CardRelative[] | null;
  hiddenFields: string[];
  registerUnavailable: boolean;
}
