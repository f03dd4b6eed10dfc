import { DomainError, type FieldError } from '../platform/errors/domain-error';
import { bicErrors, bicFromLatvianIban, ibanErrors, normalizeIban } from './iban';

export const PAYEE_KINDS = ['resident', 'provider'] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];

/** What a process asks to be paid (activity schedulePayment). Idempotent per (caseId, key). */
export interface SchedulePaymentRequest {
  municipalityId: string;
  caseId: string;
  /** The caller's key, unique within the case, e.g. `gmi:2026-03` or `housing:2026-03:latvijas-gaze`. */
  key: string;
  payee: { kind: PayeeKind; name: string; iban: string; bic?: string | null };
  amountCents: number;
  /** YYYY-MM */
  dueMonth: string;
  /** Remittance text, e.g. the bill reference of a utility (at most 140 characters). */
  remittance: string;
  purposeCode?: string | null;
  amkCode?: string | null;
  ekkCode?: string | null;
  /** On whose behalf the municipality pays (Treasury UltmtDbtr), if not itself. */
  ultimateDebtorName?: string | null;
  /** Who asked: a process (`process:<key>`) or an account id. */
  createdBy?: string;
}

export interface CleanPayment {
  key: string;
  payeeKind: PayeeKind;
  payeeName: string;
  payeeIban: string;
  payeeBic: string | null;
  amountCents: number;
  dueMonth: string;
  remittance: string;
  purposeCode: string | null;
  amkCode: string | null;
  ekkCode: string | null;
  ultimateDebtorName: string | null;
}

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const KEY = /^[\x21-\x7e]{1,100}$/;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const optional = (v: unknown): string | null => (text(v) === '' ? null : text(v));

/** Checks a payment request field by field (i18n keys under payments:errors); throws them all at once. */
export function cleanPayment(req: SchedulePaymentRequest): CleanPayment {
  const f: FieldError[] = [];
  const payee = (req.payee ?? {}) as Partial<SchedulePaymentRequest['payee']>;
  if (typeof req.key !== 'string' || !KEY.test(req.key))
    f.push({ field: 'key', message: 'payments:errors.key' });
  if (!(PAYEE_KINDS as readonly unknown[]).includes(payee.kind))
    f.push({ field: 'payee.kind', message: 'payments:errors.payeeKind' });
  const name = text(payee.name);
  if (name === '' || name.length > 140)
    f.push({ field: 'payee.name', message: 'payments:errors.payeeName' });
  f.push(...ibanErrors('payee.iban', payee.iban));
  f.push(...bicErrors('payee.bic', payee.bic));
  if (
    !Number.isSafeInteger(req.amountCents) ||
    req.amountCents <= 0 ||
    req.amountCents > 99_999_999
  )
    f.push({ field: 'amountCents', message: 'payments:errors.amount' });
  if (typeof req.dueMonth !== 'string' || !MONTH.test(req.dueMonth))
    f.push({ field: 'dueMonth', message: 'payments:errors.month' });
  const remittance = text(req.remittance);
  if (remittance === '' || remittance.length > 140)
    f.push({ field: 'remittance', message: 'payments:errors.remittance' });
  const purposeCode = optional(req.purposeCode);
  if (purposeCode !== null && !/^[A-Z]{4}$/.test(purposeCode))
    f.push({ field: 'purposeCode', message: 'payments:errors.purposeCode' });
  const amkCode = optional(req.amkCode);
  if (amkCode !== null && !/^[0-9A-Z]{1,10}$/.test(amkCode))
    f.push({ field: 'amkCode', message: 'payments:errors.code' });
  const ekkCode = optional(req.ekkCode);
  if (ekkCode !== null && !/^[0-9A-Z.]{1,10}$/.test(ekkCode))
    f.push({ field: 'ekkCode', message: 'payments:errors.code' });
  const ultimate = optional(req.ultimateDebtorName);
  if (ultimate !== null && ultimate.length > 140)
    f.push({ field: 'ultimateDebtorName', message: 'payments:errors.payeeName' });
  if (f.length) throw DomainError.validation(f);
  const iban = normalizeIban(payee.iban as string);
  const bic = optional(payee.bic)?.toUpperCase() ?? bicFromLatvianIban(iban) ?? null;
  return {
    key: req.key,
    payeeKind: payee.kind as PayeeKind,
    payeeName: name,
    payeeIban: iban,
    payeeBic: bic,
    amountCents: req.amountCents,
    dueMonth: req.dueMonth,
    remittance,
    purposeCode,
    amkCode,
    ekkCode,
    ultimateDebtorName: ultimate,
  };
}
