import type { InjectionToken } from '@nestjs/common';
import { TemplateCatalogue } from '../documents/templates/template-registry';
import { LOOKUP_PURPOSES, type LookupPurposeDefinition } from '../persons/lookup-purpose';
import { readFileSync } from 'node:fs';
import hbs from 'hbs';
import type { AnyProcess } from '../../workflows';
import type { ActivityMap } from '../../workflows/kit/types';
import type { RuleSeed } from '../deadlines/default-rules';
import { CORE_FORMS } from '../cases/forms';
import { mergeActivities } from '../engine/activities';
import { fromRoot } from '../platform/paths';
import type {
  AnyWired,
  CasePartiesProvider,
  IncomingReplyHandler,
  CaseViewProvider,
  FeeVars,
  ParameterDefault,
  ProcessForm,
  ProcessModule,
  ServiceCatalogueEntry,
  StaffMenuEntry,
} from './process-module';

/** Resolves a port's injection token from the running application. */
export type PortResolver = (token: InjectionToken) => unknown;

const byKey = <V>(
  modules: readonly ProcessModule[],
  pick: (m: ProcessModule) => Readonly<Record<string, V>> | undefined,
  what: string,
): Map<string, V> => {
  const out = new Map<string, V>();
  for (const m of modules) {
    for (const [k, v] of Object.entries(pick(m) ?? {})) {
      if (out.has(k)) throw new Error(`${what} ${k} is declared by two process modules`);
      out.set(k, v);
    }
  }
  return out;
};

const listed = <V>(
  modules: readonly ProcessModule[],
  pick: (m: ProcessModule) => readonly V[] | undefined,
  key: (v: V) => string,
  what: string,
): Map<string, V> =>
  byKey(modules, (m) => Object.fromEntries((pick(m) ?? []).map((v) => [key(v), v])), what);

/**
 * The process modules of the running application, found through Nest DI (each module's
 * `provideProcess(manifest)`), and what the generic parts ask of them: the activity map (built
 * once, before the engine launches), decision forms, catalogue entries, case views and parties,
 * deadline rules, parameter defaults, demo cases and menu entries. Nothing registers
 * itself by being imported; everything here is read from the manifests.
 */
export class ProcessRegistry {
  private indexed?: ReturnType<ProcessRegistry['index']>;
  private activityMap?: ActivityMap;
  private catalogue?: TemplateCatalogue;

  /**
   * @param discover the manifests (called once, when first needed: providers exist by then)
   * @param resolve a port by its token (activities, fee texts); tests without Nest pass one that refuses
   * @param core activity groups of the platform itself (case, deadlines, documents, delivery)
   * @param coreForms decision forms of the platform itself (the kit's group decision)
   */
  constructor(
    private readonly discover: () => readonly ProcessModule[],
    private readonly resolve: PortResolver,
    private readonly core: readonly AnyWired<ActivityMap>[] = [],
    private readonly coreForms: readonly ProcessForm[] = [],
  ) {}

  /** A registry of fixed manifests: for code that runs without the Nest application (engine tests, tools). */
  static of(modules: readonly ProcessModule[], resolve: PortResolver = refuse): ProcessRegistry {
    return new ProcessRegistry(() => modules, resolve, [], CORE_FORMS);
  }

  get modules(): readonly ProcessModule[] {
    return this.all().modules;
  }

  /** Every document template: the platform's generic ones and the modules' own (built once). */
  templates(): TemplateCatalogue {
    this.catalogue ??= new TemplateCatalogue(() =>
      this.modules.flatMap((m) => (m.templates ? [m.templates] : [])),
    );
    return this.catalogue;
  }

  /** Why staff may look a person up: the platform's purposes and the modules' (a code declared twice is a wiring error). */
  lookupPurposes(): LookupPurposeDefinition[] {
    const all = [...LOOKUP_PURPOSES, ...this.modules.flatMap((m) => m.lookupPurposes ?? [])];
    const codes = all.map((p) => p.code);
    const twice = codes.find((c, i) => codes.indexOf(c) !== i);
    if (twice) throw new Error(`lookup purpose ${twice} is declared twice`);
    return all;
  }

  /** The i18n key of a timeline event kind's label (workspace:timeline.<kind>); the modules declare their kinds. */
  timelineLabelKey(kind: string): string {
    return `workspace:timeline.${kind}`;
  }

  /** Every timeline event kind the modules declare they write. */
  timelineKinds(): string[] {
    return [...new Set(this.modules.flatMap((m) => m.timelineKinds ?? []))];
  }

  /** The i18n key of a case stage's label (workspace:stage.<stage>). */
  stageLabelKey(stage: string): string {
    return `workspace:stage.${stage}`;
  }

  /** Every case stage the modules' processes set. */
  stages(): string[] {
    return [...new Set(this.modules.flatMap((m) => m.stages ?? []))];
  }

  /** Every process definition the modules declare. */
  processes(): readonly AnyProcess[] {
    return this.modules.flatMap((m) => m.processes);
  }

  /**
   * The engine runs `listed` (workflows/index.ts, which the Temporal bundle needs statically): each
   * must belong to a process module here, and each module's version must be listed there.
   */
  assertListed(listed: readonly AnyProcess[]): void {
    const ids = new Set(listed.map((p) => p.id));
    const own = new Set(this.processes().map((p) => p.id));
    const unlisted = [...own].filter((id) => !ids.has(id));
    const orphans = [...ids].filter((id) => !own.has(id));
    if (unlisted.length)
      throw new Error(`process versions not listed in workflows/index.ts: ${unlisted.join(', ')}`);
    if (orphans.length)
      throw new Error(`process versions without a process module: ${orphans.join(', ')}`);
  }

  /** Every activity by name, built once from the core groups and each module's factory; a name defined twice is a wiring error. */
  activities(): ActivityMap {
    this.activityMap ??= Object.freeze(
      mergeActivities(
        ...[...this.core, ...this.modules.flatMap((m) => (m.activities ? [m.activities] : []))].map(
          (w) => this.build(w),
        ),
      ),
    );
    return this.activityMap;
  }

  form(key: string): ProcessForm | undefined {
    return this.all().forms.get(key);
  }

  /** Where a task without a decision form is worked (a module's `taskPages`), or null. */
  taskPage(formKey: string): string | null {
    return this.all().taskPages.get(formKey) ?? null;
  }

  /** The Handlebars partial name of a form's view (registered when the registry is first read). */
  formPartial(key: string): string | null {
    return this.form(key) ? partialName(key) : null;
  }

  services(): ServiceCatalogueEntry[] {
    return [...this.all().services.values()];
  }

  service(key: string): ServiceCatalogueEntry | undefined {
    return this.all().services.get(key);
  }

  /** The fee text's values for a service, or none. */
  async feeVars(
    serviceKey: string,
    municipalityId: string | null,
  ): Promise<Record<string, string | number>> {
    const w = this.all().feeVars.get(serviceKey);
    if (!w) return {};
    const fn = this.build<FeeVars>(w);
    return fn(municipalityId);
  }

  citizenCaseHref(processKey: string, caseId: string): string {
    return this.all().hrefs.get(processKey)?.(caseId) ?? `/my-cases/${caseId}`;
  }

  /** The process's service code in the state service catalogue (manifest `serviceCodes`), if any. */
  serviceCode(processKey: string): string | undefined {
    return this.all().serviceCodes.get(processKey);
  }

  caseView(processKey: string): CaseViewProvider | undefined {
    return this.all().caseViews.get(processKey);
  }

  caseParties(processKey: string): CasePartiesProvider | undefined {
    return this.all().parties.get(processKey);
  }

  incomingReply(processKey: string): IncomingReplyHandler | undefined {
    return this.all().replies.get(processKey);
  }

  deadlineRules(): RuleSeed[] {
    return this.modules.flatMap((m) => m.deadlineRules ?? []);
  }

  parameterDefaults(): ParameterDefault[] {
    return this.modules.flatMap((m) => m.parameters ?? []);
  }

  staffMenu(): StaffMenuEntry[] {
    return this.modules.flatMap((m) => m.navigation?.staff ?? []);
  }

  private build<T>(w: AnyWired<T>): T {
    const ports = Object.fromEntries(
      Object.entries(w.ports).map(([name, token]) => [name, this.resolve(token as InjectionToken)]),
    );
    return w.create(ports);
  }

  private all() {
    this.indexed ??= this.index(this.discover());
    return this.indexed;
  }

  private index(modules: readonly ProcessModule[]) {
    const names = new Set<string>();
    for (const m of modules) {
      if (names.has(m.name)) throw new Error(`process module ${m.name} is provided twice`);
      names.add(m.name);
    }
    const forms = new Map(this.coreForms.map((f) => [f.key, f]));
    for (const [k, f] of listed(
      modules,
      (m) => m.forms,
      (f) => f.key,
      'form',
    )) {
      if (forms.has(k))
        throw new Error(`form ${k} is a platform form; a process module cannot declare it`);
      forms.set(k, f);
    }
    for (const f of forms.values())
      hbs.registerPartial(
        partialName(f.key),
        readFileSync(fromRoot('src', `${f.view}.hbs`), 'utf8'),
      );
    return {
      modules,
      forms,
      services: listed(
        modules,
        (m) => m.catalogue,
        (s) => s.key,
        'catalogue entry',
      ),
      feeVars: byKey(modules, (m) => m.feeVars, 'fee text of'),
      hrefs: byKey(modules, (m) => m.citizenCaseHref, 'citizen case page of'),
      caseViews: byKey(modules, (m) => m.caseViews, 'case view of'),
      parties: byKey(modules, (m) => m.caseParties, 'case parties of'),
      replies: byKey(modules, (m) => m.incomingReplies, 'incoming replies of'),
      serviceCodes: byKey(modules, (m) => m.serviceCodes, 'service code of'),
      taskPages: byKey(modules, (m) => m.taskPages, 'task page of'),
    };
  }
}

const partialName = (formKey: string): string => `form:${formKey}`;

const refuse: PortResolver = (token) => {
  throw new Error(`no port ${String(token)} outside the application`);
};
