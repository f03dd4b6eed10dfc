import type { RoleRequirement } from '../platform/auth/access.decorators';
import { holdsProcess } from '../platform/auth/case-access';
import type { FieldError } from '../platform/errors/domain-error';

/**
 * Why a member of staff looks a person up in the population register (issue 12 M7): a code from a
 * fixed list, what the audit log and the person's "Who used my data" keep; the labels are
 * `persons:lookupPurpose.<code>` and `persons:lookupPurposeHint.<code>` in lv/en/el. A purpose that
 * names a case needs a case of this municipality that the user may work on (mayAccessCase 'read').
 */
export interface LookupPurposeDefinition {
  code: string;
  needsCase: boolean;
}

/**
 * The platform's own purposes; a process module adds its own (its manifest's `lookupPurposes`,
 * labelled in its locales) and the ProcessRegistry serves the whole list.
 *
 * - `case-handling`: handling a case (declaration, annulment, certificate, application): the case.
 * - `counter-service`: serving a resident at the counter before their application is registered
 *   (their identity checked in person), e.g. a declaration or certificate request being entered.
 */
export const LOOKUP_PURPOSES: readonly LookupPurposeDefinition[] = [
  { code: 'case-handling', needsCase: true },
  { code: 'counter-service', needsCase: false },
];

export type LookupPurposeCode = string;

const find = (code: unknown, purposes: readonly LookupPurposeDefinition[]) =>
  purposes.find((p) => p.code === code);

export const isLookupPurpose = (
  v: unknown,
  purposes: readonly LookupPurposeDefinition[] = LOOKUP_PURPOSES,
): v is LookupPurposeCode => find(v, purposes) !== undefined;

export const purposeNeedsCase = (
  code: LookupPurposeCode,
  purposes: readonly LookupPurposeDefinition[] = LOOKUP_PURPOSES,
): boolean => find(code, purposes)?.needsCase ?? false;

/**
 * Processes whose caseworkers need the population register: the residence register's (declaration,
 * annulment, certificates). Social assistance joins when its module is built (household checks).
 */
export const LOOKUP_PROCESSES = [
  'residence-declaration',
  'residence-annulment',
  'residence-certificate',
] as const;

/**
 * Who may look people up (the access guard's rule on every look-up route): a caseworker holding a
 * grant for a process that needs the register, or a manager (supervision, complaints). Not
 * administrators (they manage accounts and settings, not residents), deputies or council
 * secretaries, nor caseworkers of other processes.
 */
export const PERSON_LOOKUP_ACCESS: [RoleRequirement, ...RoleRequirement[]] = [
  'manager',
  ...LOOKUP_PROCESSES.map((process) => ({ role: 'caseworker' as const, process })),
];

/** The same rule for services (defence in depth behind the guard), on the user's grants. */
export function mayLookUpPersons(
  grants: readonly { role: string; processKey: string | null }[],
): boolean {
  return (
    grants.some((g) => g.role === 'manager') ||
    LOOKUP_PROCESSES.some((p) => holdsProcess(grants, p))
  );
}

/** A look-up's purpose as the user sent it (free text is refused, not mapped). */
export interface PurposeInput {
  purpose?: unknown;
  /** The case number (or case id) for a purpose that needs a case. */
  caseNumber?: unknown;
}

export type CheckedPurpose = { code: LookupPurposeCode; caseRef: string | null };

const CASE_REF = /^[\p{L}\p{N}][\p{L}\p{N}\-/.]{0,63}$/u;

/** Field errors for the purpose and case fields; the case's existence and access are checked by the service. */
export function checkPurposeInput(
  input: PurposeInput,
  purposes: readonly LookupPurposeDefinition[] = LOOKUP_PURPOSES,
): { ok: true; value: CheckedPurpose } | { ok: false; errors: FieldError[] } {
  const purpose = typeof input.purpose === 'string' ? input.purpose.trim() : '';
  if (!purpose)
    return { ok: false, errors: [{ field: 'purpose', message: 'persons:purpose.required' }] };
  if (!isLookupPurpose(purpose, purposes))
    return { ok: false, errors: [{ field: 'purpose', message: 'persons:purpose.notInList' }] };
  const raw = typeof input.caseNumber === 'string' ? input.caseNumber.trim() : '';
  if (!purposeNeedsCase(purpose, purposes))
    return { ok: true, value: { code: purpose, caseRef: null } };
  if (!raw)
    return {
      ok: false,
      errors: [{ field: 'caseNumber', message: 'persons:purpose.caseRequired' }],
    };
  if (raw.length > 64 || !CASE_REF.test(raw))
    return { ok: false, errors: [{ field: 'caseNumber', message: 'persons:purpose.caseUnknown' }] };
  return { ok: true, value: { code: purpose, caseRef: raw } };
}
