import type { EntityManager } from 'typeorm';

/**
 * What a process shows in the shared pages. Processes register here (one import line each, as
 * form DTOs do in src/cases/forms): the citizen catalogue entry and the view that renders each
 * of their task forms. The shared pages never name a process.
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

/** A task form view: a Handlebars partial path (under src/) that renders the decision fields. */
export interface TaskFormView {
  formKey: string;
  /** View path under src/, rendered inside the generic task page, e.g. 'workspace/views/forms/reference-review'. */
  partial: string;
  /** Turns posted form fields into the decision object the form DTO validates. */
  toDecision(body: Record<string, unknown>): Record<string, unknown>;
}

const services = new Map<string, ServiceCatalogueEntry>();
const taskForms = new Map<string, TaskFormView>();

export function registerService(entry: ServiceCatalogueEntry): void {
  if (services.has(entry.key) && services.get(entry.key) !== entry) throw new Error(`service ${entry.key} registered twice`);
  services.set(entry.key, entry);
}

export function registerTaskFormView(view: TaskFormView): void {
  if (taskForms.has(view.formKey) && taskForms.get(view.formKey) !== view) throw new Error(`task form ${view.formKey} registered twice`);
  taskForms.set(view.formKey, view);
}

/**
 * Values for a service's fee text (e.g. the counter fee in force), supplied by the process's
 * module at start-up because amounts are effective-dated parameters, never text in a locale file.
 * `municipalityId` is the visitor's municipality when known, else null (the national value).
 */
export type FeeVars = (municipalityId: string | null) => Promise<Record<string, string | number>>;
const feeVars = new Map<string, FeeVars>();

export function registerFeeVars(serviceKey: string, fn: FeeVars): void {
  feeVars.set(serviceKey, fn);
}

export const findFeeVars = (serviceKey: string): FeeVars | undefined => feeVars.get(serviceKey);

/** Where a citizen follows a case of a process that has its own status page (else the generic "my case" page). */
const citizenCaseHrefs = new Map<string, (caseId: string) => string>();

export function registerCitizenCaseHref(processKey: string, href: (caseId: string) => string): void {
  citizenCaseHrefs.set(processKey, href);
}

export const citizenCaseHref = (processKey: string, caseId: string): string => citizenCaseHrefs.get(processKey)?.(caseId) ?? `/my-cases/${caseId}`;

/** One line of a process's facts panel: a label (i18n key) and a value (plain text, or an i18n key). */
export interface CaseFact {
  label: string;
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
}

/** What a process adds to its case pages: facts, uploads and its own requests to the applicant. */
export interface ProcessCaseView {
  facts: CaseFact[];
  uploads: ProcessUpload[];
  requests: ProcessRequest[];
}

/** Read inside the page's tenant transaction. */
export type CaseViewProvider = (em: EntityManager, caseId: string) => Promise<ProcessCaseView | null>;
const caseViews = new Map<string, CaseViewProvider>();

export function registerCaseView(processKey: string, provider: CaseViewProvider): void {
  caseViews.set(processKey, provider);
}

export const findCaseView = (processKey: string): CaseViewProvider | undefined => caseViews.get(processKey);

export const listServices = (): ServiceCatalogueEntry[] => [...services.values()];
export const findService = (key: string): ServiceCatalogueEntry | undefined => services.get(key);
export const findTaskFormView = (formKey: string): TaskFormView | undefined => taskForms.get(formKey);
