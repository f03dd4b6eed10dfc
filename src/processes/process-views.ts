import type { EntityManager } from 'typeorm';

/**
 * What a process shows in the shared pages (catalogue entry, apply form, case facts), declared in
 * its manifest (process-module.ts) and served by the ProcessRegistry. The shared pages never name a process.
 */
export interface ServiceCatalogueEntry {
  /** Process key (matches defineProcess key). */
  key: string;
  /** i18n keys, in the style of the state services catalogue. */
  name: string;
  description: string;
  who: string;
  documents: string;
  fee: string;
  deadline: string;
  howTo: string;
  result: string;
  /** Where the citizen starts; the generic apply page when it is `/services/<key>/apply`. */
  startUrl: string;
  /** Generic application form (the shared apply page renders it and keeps drafts). */
  applyForm?: ApplyFormSpec;
}

export interface ApplyField {
  name: string;
  /** i18n keys */
  label: string;
  hint?: string;
  kind: 'text' | 'textarea';
  required: boolean;
  maxLength: number;
  /** Optional pattern the value must match (checked on submit). */
  pattern?: RegExp;
  /** i18n key shown when the pattern does not match. */
  patternMessage?: string;
}

export interface ApplyFormSpec {
  fields: ApplyField[];
  /** Turns the submitted fields into the case title and process input. */
  toCase(values: Record<string, string>): { title: string; input: Record<string, unknown> };
}

/**
 * Values for a service's fee text (e.g. the counter fee in force); amounts are effective-dated
 * parameters, never text in a locale file. `municipalityId` is the visitor's municipality when
 * known, else null (the national value).
 */
export type FeeVars = (municipalityId: string | null) => Promise<Record<string, string | number>>;

/** One line of a process's facts panel: a label (i18n key) and a value (plain text, or an i18n key). */
export interface CaseFact {
  label: string;
  /** Interpolation values of the label (e.g. a calculation line's "member {{member}}"). */
  labelParams?: Record<string, string | number>;
  value?: string;
  valueKey?: string;
  /** A staff link (e.g. the person card); shown to staff only. */
  href?: string;
  /** `value` is a personal code: the case file shows it by the one masking rule (PersonalCodePolicy), without `href` when masked. */
  personalCode?: true;
}

/** A file the applicant gave the process (e.g. evidence of a basis), downloadable by staff at `href`. */
export interface ProcessUpload {
  id: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  at: Date;
  href: string;
}

/** A request the process itself sent the applicant (e.g. a review asking for documents). */
export interface ProcessRequest {
  question: string;
  answerBy: string | null;
  status: 'open' | 'answered';
  requestedAt: Date;
  /** The applicant's answer, when the process keeps it with the request. */
  answer?: string | null;
  /** Files sent with the answer, downloadable by staff at `href` (an audited read). */
  files?: { fileName: string; sizeBytes: number; href: string }[];
}

/** What a process adds to its case pages: facts, uploads and its own requests to the applicant. */
export interface ProcessCaseView {
  facts: CaseFact[];
  uploads: ProcessUpload[];
  requests: ProcessRequest[];
}

/** Read inside the page's tenant transaction. */
export type CaseViewProvider = (
  em: EntityManager,
  caseId: string,
) => Promise<ProcessCaseView | null>;
