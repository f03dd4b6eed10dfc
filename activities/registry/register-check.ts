import { isRetryable } from '../../src/engine/retry';
import { DomainError } from '../../src/platform/errors/domain-error';
import { isUuid } from '../../src/platform/ids';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { compactPersonalCode, formatPersonalCode } from '../../src/persons/personal-code';
import { requireDate } from '../../src/integrations/sim/months';
import type {
  RegisterCheckFlag,
  RegisterCheckInput,
  RegisterCheckOutcome,
  RegisterCheckStatus,
  RegisterName,
} from '../../workflows/kit/register-checks';

/** One register check: what to ask, how to ask it, and how its answer compares with the declaration. */
export interface RegisterCheckSpec<R, D> {
  register: RegisterName;
  /** What was asked, stored with the result (no personal code: that is the row's subject). */
  request(input: RegisterCheckInput<D>): Record<string, unknown>;
  call(input: RegisterCheckInput<D>): Promise<R>;
  /** Differences from the declaration (and facts every check must raise, e.g. a death). */
  compare(result: R, declared: D | undefined, input: RegisterCheckInput<D>): RegisterCheckFlag[];
}

interface Recorded {
  status: RegisterCheckStatus;
  result: unknown;
  flags: RegisterCheckFlag[];
  error: string | null;
}

function validated<D>(input: RegisterCheckInput<D>): RegisterCheckInput<D> {
  const fields = [
    ...(isUuid(input.caseId) ? [] : ['caseId']),
    ...(isUuid(input.municipalityId) ? [] : ['municipalityId']),
    ...(input.months === undefined ||
    (Number.isInteger(input.months) && input.months >= 1 && input.months <= 12)
      ? []
      : ['months']),
  ];
  const digits = compactPersonalCode(String(input.personalCode ?? ''));
  if (!digits) fields.push('personalCode');
  if (fields.length)
    throw DomainError.validation(
      fields.map((field) => ({ field, message: 'registers:check.invalid' })),
    );
  requireDate('asOf', input.asOf);
  return { ...input, personalCode: formatPersonalCode(digits!) };
}

/**
 * Makes one register-check activity. Every attempt is recorded on the case (register_checks, one
 * row per case and key, attempts counted): an answer as `ok` with its flags; a register that cannot
 * be reached as `unavailable`, and the error is rethrown so the engine retries by the activity's
 * policy; a refused request (misconfigured gateway, invalid input) as `failed`, returned, not
 * thrown, since no retry helps. A late failure never overwrites an answer already stored.
 */
export function registerCheck<R, D>(
  tenantDb: TenantDb,
  spec: RegisterCheckSpec<R, D>,
): (input: RegisterCheckInput<D>) => Promise<RegisterCheckOutcome<R>> {
  return async (raw) => {
    const input = validated(raw);
    const request = spec.request(input);
    let rec: Recorded;
    let thrown: unknown = null;
    try {
      const result = await spec.call(input);
      rec = {
        status: 'ok',
        result,
        flags: spec.compare(result, input.declared, input),
        error: null,
      };
    } catch (e) {
      const retry = isRetryable(e);
      const code = e instanceof DomainError ? e.code : 'error';
      rec = {
        status: retry ? 'unavailable' : 'failed',
        result: null,
        flags: [],
        error: `${code}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500),
      };
      if (retry) thrown = e;
    }
    const attempts = await store(tenantDb, spec.register, input, request, rec);
    if (thrown) throw thrown;
    return {
      register: spec.register,
      status: rec.status,
      result: rec.result as R | null,
      flags: rec.flags,
      attempts,
      ...(rec.error ? { error: rec.error } : {}),
    };
  };
}

async function store<D>(
  tenantDb: TenantDb,
  register: RegisterName,
  input: RegisterCheckInput<D>,
  request: Record<string, unknown>,
  rec: Recorded,
): Promise<number> {
  const key = input.key ?? `${register}:${input.personalCode}`;
  const rows = (await tenantDb.run(input.municipalityId, (em) =>
    em.query(
      `INSERT INTO register_checks (municipality_id, case_id, check_key, register, subject_code, request, result, flags, declared, status, error, attempts, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, now())
       ON CONFLICT (case_id, check_key) DO UPDATE SET
         attempts = register_checks.attempts + 1,
         checked_at = now(),
         error = EXCLUDED.error,
         request = CASE WHEN EXCLUDED.status = 'ok' OR register_checks.status <> 'ok' THEN EXCLUDED.request ELSE register_checks.request END,
         declared = CASE WHEN EXCLUDED.status = 'ok' OR register_checks.status <> 'ok' THEN EXCLUDED.declared ELSE register_checks.declared END,
         result = CASE WHEN EXCLUDED.status = 'ok' OR register_checks.status <> 'ok' THEN EXCLUDED.result ELSE register_checks.result END,
         flags = CASE WHEN EXCLUDED.status = 'ok' OR register_checks.status <> 'ok' THEN EXCLUDED.flags ELSE register_checks.flags END,
         status = CASE WHEN EXCLUDED.status = 'ok' OR register_checks.status <> 'ok' THEN EXCLUDED.status ELSE register_checks.status END
       RETURNING attempts`,
      [
        input.municipalityId,
        input.caseId,
        key,
        register,
        input.personalCode,
        JSON.stringify(request),
        rec.result === null ? null : JSON.stringify(rec.result),
        JSON.stringify(rec.flags),
        input.declared === undefined ? null : JSON.stringify(input.declared),
        rec.status,
        rec.error,
      ],
    ),
  )) as { attempts: number }[];
  return rows[0].attempts;
}
