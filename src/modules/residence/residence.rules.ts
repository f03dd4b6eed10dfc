import type {
  DeclaredResidence,
  RegisterPerson,
} from '../../integrations/population/population-register.port';

export interface OwnerRef {
  code: string;
  name: string;
}

/**
 * Whether the registers alone confirm the legal basis, so no person needs to look: the declarant
 * owns a share of the dwelling, or declares as the owner's family member and the population
 * register links them as parent or child. Leases, consents and "other" always need a caseworker.
 */
export function basisConfirmedByRegisters(i: {
  basis: string;
  applicantCode: string;
  owners: OwnerRef[];
  relatives: string[];
}): { confirmed: boolean; reason: string } {
  if (i.owners.length === 0) return { confirmed: false, reason: 'no-property-record' };
  const owns = i.owners.some((o) => o.code === i.applicantCode);
  if (i.basis === 'ownership')
    return owns
      ? { confirmed: true, reason: 'declarant-owns-share' }
      : { confirmed: false, reason: 'declarant-not-owner' };
  if (i.basis === 'owner-family') {
    if (owns) return { confirmed: true, reason: 'declarant-owns-share' };
    return i.owners.some((o) => i.relatives.includes(o.code))
      ? { confirmed: true, reason: 'owner-is-family' }
      : { confirmed: false, reason: 'owner-not-family' };
  }
  return { confirmed: false, reason: `basis-${i.basis}-needs-documents` };
}

const ageOn = (birthDate: string, on: string): number => {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

/** The last declared residence for its certificate: the newest entry that was not annulled (history is newest first). */
export const lastNotAnnulled = (history: readonly DeclaredResidence[]): DeclaredResidence | null =>
  history.find((r) => r.status !== 'annulled') ?? null;

export const isMinor = (birthDate: string, on: string): boolean => ageOn(birthDate, on) < 18;

/** Minors whose current declaration is at the same address from the same day: declared with the person. */
export function minorsDeclaredWith(
  own: DeclaredResidence,
  children: { person: RegisterPerson; current: DeclaredResidence | null }[],
  on: string,
): { code: string; residenceId: string }[] {
  return children.flatMap(({ person, current }) =>
    current &&
    current.status === 'active' &&
    current.addressCode === own.addressCode &&
    current.validFrom === own.validFrom &&
    isMinor(person.birthDate, on)
      ? [{ code: person.personalCode, residenceId: current.id }]
      : [],
  );
}

/** Persons an applicant may declare: themselves, their minor children and their wards. */
export function representable(
  applicantCode: string,
  family: { relation: string; person: RegisterPerson }[],
  today: string,
): Set<string> {
  const ok = new Set([applicantCode]);
  for (const f of family) {
    if (f.relation === 'ward' || (f.relation === 'child' && isMinor(f.person.birthDate, today)))
      ok.add(f.person.personalCode);
  }
  return ok;
}
