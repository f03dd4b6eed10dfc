import { socialAssistanceProcess } from '../../../src/modules/social-assistance/social-assistance.process';
import { PROCESSES } from '../../../workflows';
import { defineProcess } from '../../../workflows/kit';
import type { AnyProcess } from '../../../workflows';
import { referenceProcess } from '../../../src/modules/reference/reference.process';
import { residenceProcess } from '../../../src/modules/residence/residence.process';
import {
  defineForm,
  defineProcessModule,
  isProcessModule,
  wire,
} from '../../../src/processes/process-module';
import { ProcessRegistry } from '../../../src/processes/process-registry';

class Dto {}
const example = (v = 1) =>
  defineProcess({ key: 'example', version: v }, () =>
    Promise.resolve(null),
  ) as unknown as AnyProcess;
const form = (key: string) =>
  defineForm({
    key,
    dto: Dto,
    view: 'modules/reference/views/forms/reference-review',
    toDecision: (b) => b,
  });
const CLOCK = Symbol('CLOCK');

describe('the process registry', () => {
  it('builds every activity once from its ports, resolved by token and handed over by name', () => {
    const resolved: unknown[] = [];
    const m = defineProcessModule({
      name: 'example',
      processes: [example()],
      activities: wire({ clock: CLOCK }, (p: { clock: () => string }) => ({
        tick: () => Promise.resolve(p.clock()),
      })),
    });
    const registry = ProcessRegistry.of([m], (token) => {
      resolved.push(token);
      return () => 'noon';
    });
    const first = registry.activities();
    expect(registry.activities()).toBe(first);
    expect(resolved).toEqual([CLOCK]);
    return expect(first.tick()).resolves.toBe('noon');
  });

  it('refuses an activity two modules both define', () => {
    const act = wire({}, () => ({ same: () => Promise.resolve(1) }));
    const a = defineProcessModule({ name: 'a', processes: [], activities: act });
    const b = defineProcessModule({ name: 'b', processes: [], activities: act });
    expect(() => ProcessRegistry.of([a, b]).activities()).toThrow('activity same is defined twice');
  });

  it('refuses a form, catalogue entry or case view declared by two modules', () => {
    const a = defineProcessModule({ name: 'a', processes: [], forms: [form('x.review')] });
    const b = defineProcessModule({ name: 'b', processes: [], forms: [form('x.review')] });
    expect(() => ProcessRegistry.of([a, b]).form('x.review')).toThrow(
      'form x.review is declared by two process modules',
    );
    const c = defineProcessModule({
      name: 'c',
      processes: [],
      caseViews: { p: () => Promise.resolve(null) },
    });
    const d = defineProcessModule({
      name: 'd',
      processes: [],
      caseViews: { p: () => Promise.resolve(null) },
    });
    expect(() => ProcessRegistry.of([c, d]).caseView('p')).toThrow(
      'case view of p is declared by two process modules',
    );
  });

  it('serves each form once, with its view as a partial, and the generic case page for processes without their own', () => {
    const registry = ProcessRegistry.of([referenceProcess, residenceProcess]);
    expect(
      registry.form('residence.review')?.toDecision({ outcome: ' approve ', reason: '' }),
    ).toEqual({ outcome: 'approve' });
    expect(registry.formPartial('reference.review')).toBe('form:reference.review');
    expect(registry.formPartial('nope')).toBeNull();
    expect(registry.citizenCaseHref('residence-declaration', 'c1')).toBe('/residence/cases/c1');
    expect(registry.citizenCaseHref('reference', 'c1')).toBe('/my-cases/c1');
  });

  it('matches the process modules with the versions the engines register', () => {
    expect(() =>
      ProcessRegistry.of([
        referenceProcess,
        residenceProcess,
        socialAssistanceProcess,
      ]).assertListed(PROCESSES),
    ).not.toThrow();
    expect(() => ProcessRegistry.of([referenceProcess]).assertListed(PROCESSES)).toThrow(
      /without a process module: residence-declaration@v1/,
    );
    const extra = defineProcessModule({ name: 'example', processes: [example(2)] });
    expect(() =>
      ProcessRegistry.of([referenceProcess, residenceProcess, extra]).assertListed(PROCESSES),
    ).toThrow('not listed in workflows/index.ts: example@v2');
  });

  it('knows a manifest only by defineProcessModule', () => {
    expect(isProcessModule(referenceProcess)).toBe(true);
    expect(isProcessModule({ name: 'x', processes: [] })).toBe(false);
  });
});
