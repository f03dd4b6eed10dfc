import type { FieldError } from '../platform/errors/domain-error';
import type { InjectionToken } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AnyProcess } from '../../workflows';
import type { ActivityMap } from '../../workflows/kit/types';
import type { RuleSeed } from '../deadlines/default-rules';
import type { ParameterDefault } from '../parameters/parameters.service';
import type { RoleRequirement } from '../platform/auth/access.decorators';
import type { LookupPurposeDefinition } from '../persons/lookup-purpose';
import type { TemplateDefinitions } from '../documents/templates/template-registry';
import type { DemoContext } from '../platform/seed/demo-support';
import type { CaseViewProvider, FeeVars, ServiceCatalogueEntry } from './process-views';

export type * from './process-views';

/**
 * Something built from injected ports: `ports` names each port and the Nest token it is injected
 * by (a class, or a symbol such as POPULATION_REGISTER); `create` receives them by those names.
 * The registry resolves the tokens from the whole application once every provider exists.
 */
export interface Wired<P, T> {
  ports: { [K in keyof P]: InjectionToken };
  create(ports: P): T;
}

/** A Wired value whatever its ports (the manifest does not care which). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyWired<T> = Wired<any, T>;

/** Typed constructor for a Wired value: the ports' types come from `create`'s parameter. */
export const wire = <P, T>(
  ports: { [K in keyof P]: InjectionToken },
  create: (ports: P) => T,
): Wired<P, T> => ({ ports, create });

/**
 * A human-task decision form, defined once: its key (the task's formKey), the class-validator
 * DTO that validates the decision, how the posted page fields become the decision, and the
 * Handlebars view (path under src/, without .hbs) rendered inside the generic task page.
 */
export interface ProcessForm {
  key: string;
  dto: new () => object;
  toDecision(body: Record<string, unknown>): Record<string, unknown>;
  view: string;
  /**
   * Checks the DTO cannot make because they need the time (e.g. a date not in the future): run
   * after the DTO passed, with the injected clock's now; field errors as i18n keys.
   */
  check?(decision: Record<string, unknown>, now: Date): FieldError[];
}

/** Residents a process names as party to its cases besides the applicant, by personal code (read in the caller's tenant transaction). */
export type CasePartiesProvider = (em: EntityManager, caseId: string) => Promise<string[]>;

/** A message the case's party sent to the municipality's e-address quoting the case (issue 14 item 4). */
export interface IncomingReply {
  municipalityId: string;
  caseId: string;
  /** The sender's personal code (from their e-address). */
  senderCode: string;
  text: string;
  /** The incoming message's id in Civitas (idempotency: one message continues a run once). */
  messageId: string;
  receivedAt: Date;
  files: { name: string; mimeType: string; size: number; content: Buffer }[];
}

/**
 * How a process takes a reply by e-address: stores what its run needs (in the caller's tenant
 * transaction, which also records the routing) and names the signal that continues the run, or
 * returns null when the case does not wait for this person now (the message then goes to a
 * caseworker). The platform sends the signal after commit, keyed by the message.
 */
export type IncomingReplyHandler = (
  em: EntityManager,
  reply: IncomingReply,
) => Promise<{ topic: string; payload: Record<string, unknown> } | null>;

/** A default effective-dated parameter (fee, period, threshold, list), seeded when no national version of the key exists. */
export type { ParameterDefault };

/** A staff menu entry: `anyOf` are the same requirements as the route's @Roles (the staff-menu test checks they agree). */
export interface StaffMenuEntry {
  key: string;
  href: string;
  /** i18n key */
  label: string;
  anyOf: RoleRequirement[];
  /** Countries whose municipalities offer it (a process's register exists only there). */
  countries?: readonly string[];
  /** Further path prefixes under which this entry is the current one (e.g. the process's case pages). */
  alsoCurrentUnder?: readonly string[];
}

/**
 * Everything the platform needs to know about one process module (one or more processes that
 * share pages and data, e.g. residence declaration, annulment and certificates). Every field but
 * `name` and `processes` is optional; maps keyed by process key name the process they belong to.
 *
 * Label texts are not fields: the module's locales add them to the shared pages' namespace under
 * the keys those pages look up (workspace:process.<key>, workspace:timeline.<kind>,
 * workspace:stage.<stage>, workspace:outcome.<outcome>, workspace:nav.<entry>), e.g. the residence
 * module's locales/en/workspace.json. `timelineKinds` and `stages` declare which of those keys the
 * module needs, so a unit test (test/unit/processes/process-labels.test.ts) can check each has a
 * label in lv, en and el.
 */
export interface ProcessModuleManifest {
  /** The module's name (its folder under src/modules). */
  name: string;
  /** The versioned process definitions (workflows/<process>/v*.ts) of this module. */
  processes: readonly AnyProcess[];
  /** The activities its processes call, from injected ports. Activity names are global: two modules defining one name is a wiring error. */
  activities?: AnyWired<ActivityMap>;
  forms?: readonly ProcessForm[];
  /**
   * The module's document templates by key (`<folder>/<name>`: the files are
   * templates/documents/<folder>/<name>.<lang>.hbs for lv, en and el): register, strict data
   * schema and preview sample. The document service, renderer and template preview find them
   * through the registry's TemplateCatalogue, beside the platform's generic/* templates. For typed
   * data, declare them `as const satisfies TemplateDefinitions` and use TemplateDataOf.
   */
  templates?: TemplateDefinitions;
  /**
   * Tasks a module opens outside a run's decision form (e.g. a monitor's findings), by their form
   * key: the staff page where such a task is worked. The task page links there instead of a form.
   */
  taskPages?: Readonly<Record<string, string>>;
  /** Citizen catalogue entries (with the generic apply form when the service has no page of its own). */
  catalogue?: readonly ServiceCatalogueEntry[];
  /**
   * The service's code in the state service catalogue, by process key: every case of the process
   * reports its status changes to the services platform (PSPP) under it. PSPP_SERVICE_CODES
   * overrides it per installation; a process without a code reports nothing.
   */
  serviceCodes?: Readonly<Record<string, string>>;
  /** Facts, uploads and requests a process adds to its case pages, by process key. */
  caseViews?: Readonly<Record<string, CaseViewProvider>>;
  /** Who is party to a case besides its applicant, by process key. */
  caseParties?: Readonly<Record<string, CasePartiesProvider>>;
  /** How a reply by e-address continues a waiting run, by process key (issue 14 item 4). */
  incomingReplies?: Readonly<Record<string, IncomingReplyHandler>>;
  /** Where a citizen follows a case, by process key, when the process has its own status page (else the generic "my case" page). */
  citizenCaseHref?: Readonly<Record<string, (caseId: string) => string>>;
  /** Values for a catalogue entry's fee text, by service key; amounts are parameters, never locale text. */
  feeVars?: Readonly<Record<string, AnyWired<FeeVars>>>;
  /**
   * The case timeline event kinds its processes and activities write (platform kinds such as
   * registry.checked included when it writes them); each is labelled at workspace:timeline.<kind>
   * in every language (the module's own kinds in its locales). A unit test checks every `kind: '…'`
   * in activities/<name>/, workflows/<process>/ and src/modules/<name>/ is declared here.
   */
  timelineKinds?: readonly string[];
  /** The case stages its processes set (setStage); each is labelled at workspace:stage.<stage> in every language. */
  stages?: readonly string[];
  /**
   * Why its caseworkers may look a person up in the population register, beside the platform's
   * case-handling and counter-service: codes kept in the audit log, labelled at
   * persons:lookupPurpose.<code> and persons:lookupPurposeHint.<code> in the module's locales.
   */
  lookupPurposes?: readonly LookupPurposeDefinition[];
  /** Legal deadline rules seeded when missing (effective-dated; administrators add newer versions). */
  deadlineRules?: readonly RuleSeed[];
  /** Effective-dated parameter defaults seeded when missing. */
  parameters?: readonly ParameterDefault[];
  /** Demo cases in a demo municipality (seed:demo), moved on through the services people's clicks reach; returns the case numbers opened. */
  demoCases?: (ctx: DemoContext) => Promise<string[]>;
  navigation?: {
    /** Staff menu entries, between the platform's inbox/dashboard and administration. */
    staff?: readonly StaffMenuEntry[];
    /** Path prefixes of the module's own citizen pages: the portal menu shows there too. */
    citizenPaths?: readonly string[];
    /** Path prefixes of its citizen case pages: "my cases" is the current menu entry under them. */
    citizenCasePaths?: readonly string[];
  };
}

const MANIFEST = Symbol('civitas.process-module');

export type ProcessModule = ProcessModuleManifest & { readonly [MANIFEST]: true };

/**
 * Declares a process module. The module's Nest module lists `provideProcess(manifest)` among its
 * providers; the ProcessRegistry finds it there. Nothing is registered by importing a file.
 */
export function defineProcessModule<const M extends ProcessModuleManifest>(
  manifest: M,
): M & ProcessModule {
  for (const p of manifest.processes) {
    if (!/^[a-z][a-z0-9-]*$/.test(p.key)) throw new Error(`process key ${p.key} is not kebab-case`);
  }
  return Object.freeze({ ...manifest, [MANIFEST]: true as const });
}

export const isProcessModule = (v: unknown): v is ProcessModule =>
  typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[MANIFEST] === true;

/** The provider a process module's Nest module lists so the registry discovers its manifest. */
export const provideProcess = (manifest: ProcessModule) => ({
  provide: Symbol(`process-module:${manifest.name}`),
  useValue: manifest,
});

/** The named posted fields that hold text, trimmed; empty ones are left out (a form's toDecision starts from these). */
export function textFields(
  body: Record<string, unknown>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = body[n];
    if (typeof v === 'string' && v.trim()) out[n] = v.trim();
  }
  return out;
}

/** Typed helper for a form: the DTO's type checks nothing at run time, but keeps the definition in one object. */
export const defineForm = (form: ProcessForm): ProcessForm => form;
