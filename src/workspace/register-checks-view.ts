import type { EntityManager } from 'typeorm';
import type { PersonalCodePolicy } from '../persons/personal-code-policy';
import type { RegisterCheckFlag } from '../../workflows/kit/register-checks';

/** One line of a register's answer on the case page: a label (i18n key or text) and a value. */
export interface RegisterCheckLine {
  labelKey?: string;
  labelText?: string;
  kind: 'text' | 'money' | 'date' | 'key' | 'record';
  value: string | number | null | Record<string, unknown>;
}

export interface RegisterCheckFlagView {
  code: string;
  /** The person it concerns, as this viewer may see the code (when not the check's subject). */
  person: string | null;
  declared: unknown;
  register: unknown;
  money: boolean;
}

export interface RegisterCheckView {
  register: string;
  subject: string;
  status: string;
  attempts: number;
  checkedAt: Date;
  error: string | null;
  lines: RegisterCheckLine[];
  flags: RegisterCheckFlagView[];
}

export interface RegisterCheckRow {
  register: string;
  subject_code: string;
  status: string;
  attempts: number;
  checked_at: Date;
  error: string | null;
  request: Record<string, unknown>;
  result: Record<string, unknown> | null;
  flags: RegisterCheckFlag[];
}

/** The register checks of a case, in a stable order (the caller's tenant transaction). */
export function loadRegisterChecks(em: EntityManager, caseId: string): Promise<RegisterCheckRow[]> {
  return em.query(
    `SELECT register, subject_code, status, attempts, checked_at, error, request, result, flags
       FROM register_checks WHERE case_id = $1 ORDER BY register, subject_code, check_key`,
    [caseId],
  ) as Promise<RegisterCheckRow[]>;
}

/** Everyone whose register data the section shows: each check's subject and the persons its answer or flags name. */
export function personsInChecks(rows: RegisterCheckRow[]): string[] {
  const codes = new Set<string>();
  for (const r of rows) {
    codes.add(r.subject_code);
    for (const f of r.flags) if (f.personalCode) codes.add(f.personalCode);
    const res = r.result as {
      residents?: { personalCode: string }[];
      elsewhere?: { personalCode: string }[];
    } | null;
    for (const x of [...(res?.residents ?? []), ...(res?.elsewhere ?? [])])
      codes.add(x.personalCode);
  }
  return [...codes];
}

const MONEY_FLAGS = new Set(['amount_differs']);

const text = (labelKey: string, value: string | number | null): RegisterCheckLine => ({
  labelKey,
  kind: 'text',
  value,
});
const money = (labelKey: string, cents: number): RegisterCheckLine => ({
  labelKey,
  kind: 'money',
  value: cents,
});
const L = (k: string): string => `workspace:registerChecks.line.${k}`;

type Any = Record<string, unknown> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What each register said, as lines for the page. */
function linesOf(
  register: string,
  r: Any,
  request: Any,
  codes: PersonalCodePolicy,
  subject: string,
): RegisterCheckLine[] {
  const period = request.period as { from: string; to: string } | undefined;
  const periodLine = period ? [text(L('period'), `${period.from} – ${period.to}`)] : [];
  switch (register) {
    case 'population':
      return [
        text(L('address'), r.addressCode ?? null),
        ...(r.declaredSince
          ? [{ labelKey: L('declaredSince'), kind: 'date' as const, value: r.declaredSince }]
          : []),
        ...[...(r.residents ?? []), ...(r.elsewhere ?? [])].map((p: Any) => ({
          labelKey: L(r.residents?.includes(p) ? 'resident' : 'elsewhere'),
          kind: 'text' as const,
          value: `${p.givenName} ${p.familyName} (${codes.text(p.personalCode)})${p.deceasedOn ? ` † ${p.deceasedOn}` : ''}`,
        })),
      ];
    case 'social-insurance':
      return [
        ...periodLine,
        ...(r.benefits ?? []).map((b: Any) =>
          money(`workspace:registerChecks.benefit.${b.kind}`, b.monthlyCents),
        ),
        money(L('total'), r.totalCents ?? 0),
      ];
    case 'income':
      return [
        ...periodLine,
        ...(r.months ?? []).map((m: Any) => ({
          labelText: `${m.month} · ${m.employerName}`,
          kind: 'money' as const,
          value: m.netCents,
        })),
        money(L('totalGross'), r.totalGrossCents ?? 0),
        money(L('totalNet'), r.totalNetCents ?? 0),
      ];
    case 'employment':
      return [
        {
          labelKey: L('unemployed'),
          kind: 'key',
          value: r.unemployed ? 'workspace:registerChecks.yes' : 'workspace:registerChecks.no',
        },
        ...(r.since ? [{ labelKey: L('since'), kind: 'date' as const, value: r.since }] : []),
      ];
    case 'disability':
      return r.disabled
        ? [
            text(L('group'), r.group ?? '—'),
            {
              labelKey: L('validUntil'),
              kind: r.validUntil ? 'date' : 'key',
              value: r.validUntil ?? 'workspace:registerChecks.indefinite',
            },
          ]
        : [{ labelKey: L('disability'), kind: 'key', value: 'workspace:registerChecks.none' }];
    case 'property':
      return (r.properties ?? []).length
        ? r.properties.map((p: Any) => {
            const own = (p.owners as Any[]).find((o) => o.ownerCode === subject);
            return {
              labelText: p.cadastralNumber,
              kind: 'text' as const,
              value: `${p.landRegisterFolio}${own ? `, ${own.shareNumerator}/${own.shareDenominator}` : ''}`,
            };
          })
        : [{ labelKey: L('properties'), kind: 'key', value: 'workspace:registerChecks.none' }];
    case 'vehicles':
      return (r.vehicles ?? []).length
        ? r.vehicles.map((v: Any) => ({
            labelText: v.registrationNumber,
            kind: 'text' as const,
            value: `${v.make} ${v.model}, ${v.firstRegisteredYear}`,
          }))
        : [{ labelKey: L('vehicles'), kind: 'key', value: 'workspace:registerChecks.none' }];
    case 'assistance':
      return (r.records ?? []).length
        ? r.records.map((x: Any) => ({
            labelText: x.municipality,
            kind: 'record' as const,
            value: {
              benefit: x.benefit,
              status: x.status,
              from: x.periodFrom ?? x.decidedOn,
              to: x.periodTo,
              monthlyCents: x.monthlyCents,
            },
          }))
        : [{ labelKey: L('records'), kind: 'key', value: 'workspace:registerChecks.none' }];
    default:
      return [];
  }
}

/** A stored check as this viewer may see it (personal codes by the one masking rule). */
export function registerCheckView(
  row: RegisterCheckRow,
  codes: PersonalCodePolicy,
): RegisterCheckView {
  return {
    register: row.register,
    subject: codes.text(row.subject_code),
    status: row.status,
    attempts: row.attempts,
    checkedAt: row.checked_at,
    error: row.status === 'ok' ? null : row.error,
    lines: row.result
      ? linesOf(row.register, row.result as Any, row.request as Any, codes, row.subject_code)
      : [],
    flags: row.flags.map((f) => ({
      code: f.code,
      person: f.personalCode ? codes.text(f.personalCode) : null,
      declared: f.declared ?? null,
      register: f.register ?? null,
      money: MONEY_FLAGS.has(f.code),
    })),
  };
}
