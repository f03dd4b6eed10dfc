import { existsSync } from 'node:fs';
import { z } from 'zod';
import { DocumentRenderer } from '../../../src/documents/templates/document-renderer';
import { DOCUMENT_LANGUAGES, TEMPLATES } from '../../../src/documents/templates/template-registry';
import { DomainError } from '../../../src/platform/errors/domain-error';
import { fromRoot } from '../../../src/platform/paths';
import { referenceProcess } from '../../../src/modules/reference/reference.process';
import { residenceProcess } from '../../../src/modules/residence/residence.process';
import { defineProcessModule } from '../../../src/processes/process-module';
import { ProcessRegistry } from '../../../src/processes/process-registry';

const MANIFESTS = [residenceProcess, referenceProcess];
const one = {
  register: 'CERT',
  schema: z.object({ x: z.string() }).strict(),
  sample: { x: 'y' },
};

describe('document templates in process manifests', () => {
  it('are served by the registry beside the generic ones; the generic registry names no process', () => {
    const catalogue = ProcessRegistry.of(MANIFESTS).templates();
    expect(Object.keys(TEMPLATES).every((k) => k.startsWith('generic/'))).toBe(true);
    expect(catalogue.keys()).toEqual(
      expect.arrayContaining(['generic/notice', 'residence-declaration/residence-certificate']),
    );
    expect(catalogue.get('residence-declaration/residence-history').register).toBe('CERT');
  });

  it('each have a file in every document language and valid sample data', () => {
    for (const m of MANIFESTS) {
      for (const [key, def] of Object.entries(m.templates ?? {})) {
        for (const lang of DOCUMENT_LANGUAGES) {
          expect(existsSync(fromRoot('templates', 'documents', `${key}.${lang}.hbs`))).toBe(true);
        }
        expect(def.schema.safeParse(def.sample).success).toBe(true);
      }
    }
  });

  it('refuses a key declared twice or not <folder>/<name>', () => {
    const twice = defineProcessModule({
      name: 'twice',
      processes: [],
      templates: { 'generic/notice': one },
    });
    expect(() => ProcessRegistry.of([twice]).templates().keys()).toThrow(/declared twice/);
    const flat = defineProcessModule({ name: 'flat', processes: [], templates: { notice: one } });
    expect(() => ProcessRegistry.of([flat]).templates().keys()).toThrow(/<folder>\/<name>/);
  });

  it('a renderer knows only the templates its catalogue holds (unknown key: a field-level error)', async () => {
    const generic = new DocumentRenderer();
    const err = await generic
      .render('residence-declaration/residence-certificate', 'lv', {} as never, {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).fields).toEqual([
      expect.objectContaining({
        field: 'templateKey',
        message: 'documents:validation.unknownTemplate',
      }),
    ]);
  });
});
