import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, loadResources } from '../../../src/platform/i18n/i18n.service';
import { fromRoot } from '../../../src/platform/paths';
import { referenceProcess } from '../../../src/modules/reference/reference.process';
import { residenceProcess } from '../../../src/modules/residence/residence.process';
import { ProcessRegistry } from '../../../src/processes/process-registry';
import type { ProcessModule } from '../../../src/processes/process-module';

/** Every process module the application lists (app.module.ts). */
const MANIFESTS: ProcessModule[] = [residenceProcess, referenceProcess];
const registry = ProcessRegistry.of(MANIFESTS);
const resources = loadResources();

const label = (lang: string, i18nKey: string): unknown => {
  const [ns, path] = i18nKey.split(':');
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      resources[lang]?.[ns],
    );
};

// The labels are nested by the kind's dots (workspace:timeline.residence.registered is under
// timeline → residence.registered as one key): look the kind up as one key under its parent.
const labelOf = (lang: string, parent: string, key: string): unknown => {
  const p = label(lang, parent);
  return p && typeof p === 'object' ? (p as Record<string, unknown>)[key] : undefined;
};

const files = (dir: string): string[] =>
  !existsSync(dir)
    ? []
    : readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : n.endsWith('.ts') ? [p] : [];
      });

/** The module's own source: activities/<name>/, workflows/<process>/ and src/modules/<name>/. */
const sourceOf = (m: ProcessModule): string =>
  [
    fromRoot('activities', m.name),
    fromRoot('src', 'modules', m.name),
    ...new Set(m.processes.map((p) => fromRoot('workflows', p.key))),
  ]
    .flatMap(files)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

/** The dotted string literals in each `kind: …` (a ternary gives two) and each `stage: '…'`. */
const written = (src: string) => ({
  kinds: [...src.matchAll(/\bkind: ([^,}\n]*)/g)].flatMap((m) =>
    [...m[1].matchAll(/'([a-z][a-z0-9-]*\.[a-z0-9.-]+)'/g)].map((x) => x[1]),
  ),
  stages: [...src.matchAll(/\bstage: '([a-z][a-z0-9-]*)'/g)].map((m) => m[1]),
});

describe.each(MANIFESTS.map((m) => [m.name, m] as const))('process module %s', (_name, m) => {
  it('declares every timeline kind and stage its processes and activities write', () => {
    const w = written(sourceOf(m));
    expect(w.kinds.length + w.stages.length).toBeGreaterThan(0);
    expect([...new Set(w.kinds)].filter((k) => !(m.timelineKinds ?? []).includes(k))).toEqual([]);
    expect([...new Set(w.stages)].filter((s) => !(m.stages ?? []).includes(s))).toEqual([]);
  });

  it.each(LANGUAGES)('labels every declared kind and stage in %s', (lang) => {
    const missing = [
      ...(m.timelineKinds ?? [])
        .filter((k) => typeof labelOf(lang, 'workspace:timeline', k) !== 'string')
        .map((k) => registry.timelineLabelKey(k)),
      ...(m.stages ?? [])
        .filter((s) => typeof labelOf(lang, 'workspace:stage', s) !== 'string')
        .map((s) => registry.stageLabelKey(s)),
    ];
    expect(missing).toEqual([]);
  });
});

describe('the registry', () => {
  it('serves the kinds and stages the modules declare, with their label keys', () => {
    expect(registry.timelineKinds()).toContain('residence.annulled');
    expect(registry.stages()).toEqual(expect.arrayContaining(['review', 'registering']));
    expect(registry.timelineLabelKey('residence.annulled')).toBe(
      'workspace:timeline.residence.annulled',
    );
    expect(registry.stageLabelKey('review')).toBe('workspace:stage.review');
  });
});
