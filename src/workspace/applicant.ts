import type { EntityManager } from 'typeorm';
import type { Case } from '../cases/case.entity';
import { isUuid } from '../platform/ids';

const PERSONAL_CODE = /^\d{6}-?\d{5}$/;

/** Who a case is about and how to reach them. */
export interface CaseApplicant {
  ref: string | null;
  /** The citizen account, when the applicant has one. */
  accountId: string | null;
  name: string | null;
  personId: string | null;
  personalCode: string | null;
  email: string | null;
  /** The language the applicant chose for their account, when they have one. */
  lang: string | null;
}

/**
 * The applicant of a case. Portal e-services name the applicant by account id; module e-services
 * and counter applications name the person by personal code (so a person without an account is
 * still the applicant). Either way the account (name, e-mail) and the person record are looked up.
 */
export async function applicantOf(
  em: EntityManager,
  c: Pick<Case, 'applicantRef' | 'municipalityId'>,
): Promise<CaseApplicant> {
  const ref = c.applicantRef;
  const none: CaseApplicant = {
    ref,
    accountId: null,
    name: null,
    personId: null,
    personalCode: null,
    email: null,
    lang: null,
  };
  if (!ref) return none;
  const byAccount = isUuid(ref);
  if (!byAccount && !PERSONAL_CODE.test(ref)) return none;
  const [row] = (await em.query(
    `SELECT a.id AS account_id, a.display_name, a.email, a.preferred_language, p.id AS person_id, p.given_name, p.family_name,
            COALESCE(a.personal_code, p.personal_code) AS personal_code
       FROM (SELECT 1) one
       LEFT JOIN accounts a ON ${byAccount ? 'a.id = $1::uuid' : 'a.personal_code = $1'}
       LEFT JOIN persons p ON p.municipality_id = $2 AND p.personal_code = ${byAccount ? 'a.personal_code' : '$1'}`,
    [ref, c.municipalityId],
  )) as {
    account_id: string | null;
    display_name: string | null;
    email: string | null;
    preferred_language: string | null;
    person_id: string | null;
    given_name: string | null;
    family_name: string | null;
    personal_code: string | null;
  }[];
  const personName = row?.given_name ? `${row.given_name} ${row.family_name ?? ''}`.trim() : null;
  return {
    ref,
    accountId: row?.account_id ?? null,
    name: row?.display_name ?? personName,
    personId: row?.person_id ?? null,
    personalCode: row?.personal_code ?? (byAccount ? null : ref),
    email: row?.email ?? null,
    lang: row?.preferred_language ?? null,
  };
}

/** Whether the citizen account is the case's applicant (by account id or by their personal code). */
export async function isApplicant(
  em: EntityManager,
  c: Pick<Case, 'applicantRef'>,
  accountId: string,
): Promise<boolean> {
  if (!c.applicantRef) return false;
  if (c.applicantRef === accountId) return true;
  const [a] = (await em.query(`SELECT personal_code FROM accounts WHERE id = $1`, [accountId])) as {
    personal_code: string | null;
  }[];
  return !!a?.personal_code && a.personal_code === c.applicantRef;
}
