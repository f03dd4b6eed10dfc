import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DocumentRenderer,
  type DocumentEnvelope,
} from '../../../src/documents/templates/document-renderer';
import {
  DOCUMENT_LANGUAGES,
  TemplateCatalogue,
  TEMPLATES,
  templateTitleKey,
} from '../../../src/documents/templates/template-registry';
import { RESIDENCE_TEMPLATES } from '../../../src/modules/residence/residence.templates';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { fromRoot } from '../../../src/platform/paths';

// Each render makes a QR code; on a loaded 2-core machine a few renders can pass 5 s.
jest.setTimeout(30_000);

const envelope: DocumentEnvelope = {
  municipality: {
    name: 'Tukuma novada pašvaldība',
    registrationNumber: '90000050138',
    address: 'Talsu iela 4, Tukums',
  },
  registrationNumber: 'C-2026-17/1',
  issuedAt: new Date('2026-11-25T10:00:00Z'),
  timeZone: 'Europe/Riga',
  verification: { url: 'https://civitas.example/verify/ABCD', code: 'ABCD' },
};
const residence = RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample;

function allHbs(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allHbs(p) : n.endsWith('.hbs') ? [p] : [];
  });
}

const validationError = async (p: Promise<unknown>): Promise<DomainError> => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(ErrorCode.ValidationFailed);
  return e as DomainError;
};

// The generic templates and, as the application's registry serves them, the residence module's.
const catalogue = new TemplateCatalogue([RESIDENCE_TEMPLATES]);

describe('DocumentRenderer', () => {
  const renderer = new DocumentRenderer(undefined, undefined, catalogue);

  it.each(catalogue.keys().flatMap((k) => DOCUMENT_LANGUAGES.map((l) => [k, l] as const)))(
    'renders %s in %s with its sample data',
    async (key, lang) => {
      const r = await renderer.render(key, lang, envelope, catalogue.get(key).sample);
      expect(r.html).toContain(`<html lang="${lang}">`);
      expect(r.html).toContain(r.title);
      expect(r.html).toContain('Tukuma novada pašvaldība');
      expect(r.html).toContain('C-2026-17/1');
      expect(r.html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/&#x;]+/);
      expect(r.footerHtml).toContain('class="pageNumber"');
      expect(r.templateVersion).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('formats dates in the document language', async () => {
    const lv = await renderer.render(
      'residence-declaration/residence-certificate',
      'lv',
      envelope,
      residence,
    );
    const el = await renderer.render(
      'residence-declaration/residence-certificate',
      'el',
      envelope,
      residence,
    );
    expect(lv.html).toContain('2024. gada 15. marts');
    expect(lv.html).toContain('2026. gada 25. novembris');
    expect(el.html).toContain('15 Μαρτίου 2024');
  });

  it('puts the person in the Latvian dative by sex, or prints the labelled form when the sex is unknown', async () => {
    const render = async (person: object) =>
      (
        await renderer.render('residence-declaration/residence-history', 'lv', envelope, {
          ...RESIDENCE_TEMPLATES['residence-declaration/residence-history'].sample,
          person,
        })
      ).html;
    const base = { givenName: 'Jānis', familyName: 'Bērziņš', personalCode: '150385-12346' };
    expect(await render({ ...base, sex: 'M' })).toContain(
      'Izsniegta <strong>Jānim Bērziņam</strong>',
    );
    expect(await render({ ...base, givenName: 'Līga', familyName: 'Ķēniņa', sex: 'F' })).toContain(
      'Izsniegta <strong>Līgai Ķēniņai</strong>',
    );
    const unknown = await render(base);
    expect(unknown).toContain('Izsniegta personai: <strong>Jānis Bērziņš</strong>');
    expect(unknown).not.toContain('Izsniegta <strong>Jānis');
    const owner = (
      await renderer.render('residence-declaration/declared-at-property', 'lv', envelope, {
        ...RESIDENCE_TEMPLATES['residence-declaration/declared-at-property'].sample,
        owner: { name: 'Anna Liepa', personalCode: '010190-12345', sex: 'F' },
      })
    ).html;
    expect(owner).toContain('Izsniegta īpašniecei <strong>Annai Liepai</strong>');
  });

  it('draws the tables with borders and padding, and keeps dates on one line', async () => {
    const r = await renderer.render(
      'residence-declaration/residence-history',
      'lv',
      envelope,
      RESIDENCE_TEMPLATES['residence-declaration/residence-history'].sample,
    );
    expect(r.html).toMatch(
      /table\.doc-table th, table\.doc-table td \{[^}]*border: [^;]+;[^}]*padding: 4px 8px/,
    );
    expect(r.html).toMatch(/td\.date \{ white-space: nowrap; \}/);
    expect(r.html).toContain('<td class="date">2024. gada 15. marts</td>');
  });

  it('prints a translation after the original, on its own page, in the second language', async () => {
    const r = await renderer.render(
      'residence-declaration/residence-certificate',
      'lv',
      envelope,
      residence,
      { language: 'en', data: { ...residence, purpose: 'for a bank' } },
    );
    expect(r.language).toBe('lv');
    expect(r.translationLanguage).toBe('en');
    expect(r.html.match(/<html/g)).toHaveLength(1);
    const original = r.html.indexOf('Izziņa par deklarēto dzīvesvietu');
    const translation = r.html.indexOf('<section class="translation" lang="en">');
    expect(original).toBeGreaterThan(0);
    expect(translation).toBeGreaterThan(original);
    expect(r.html.slice(translation)).toContain('Certificate of declared place of residence');
    expect(r.html.slice(translation)).toContain('15 March 2024');
    expect(r.templateVersion).not.toBe(
      renderer.templateVersion('residence-declaration/residence-certificate', 'lv'),
    );
    const same = await validationError(
      renderer.render('generic/notice', 'lv', envelope, TEMPLATES['generic/notice'].sample, {
        language: 'lv',
        data: TEMPLATES['generic/notice'].sample,
      }),
    );
    expect(same.fields[0]).toMatchObject({ field: 'translation.language' });
  });

  it('no template, layout or partial uses unescaped output', () => {
    for (const file of allHbs(fromRoot('templates'))) {
      expect({ file, raw: /\{\{\{|\{\{&/.test(readFileSync(file, 'utf8')) }).toEqual({
        file,
        raw: false,
      });
    }
  });

  it('escapes markup in user text', async () => {
    const data = { ...residence, address: '<script>alert(1)</script><b onload="x()">Iela</b>' };
    const r = await renderer.render(
      'residence-declaration/residence-certificate',
      'lv',
      envelope,
      data,
    );
    expect(r.html).not.toContain('<script>alert');
    expect(r.html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onload&#x3D;&quot;x()&quot;&gt;Iela&lt;/b&gt;',
    );
  });

  it('rejects data the template does not expect, naming each field', async () => {
    const data = { ...residence, nickname: 'Lī', person: { ...residence.person, religion: 'x' } };
    const e = await validationError(
      renderer.render('residence-declaration/residence-certificate', 'lv', envelope, data),
    );
    expect(e.fields).toEqual(
      expect.arrayContaining([
        { field: 'data.nickname', message: 'documents:validation.unexpectedField' },
        { field: 'data.person.religion', message: 'documents:validation.unexpectedField' },
      ]),
    );
  });

  it('rejects missing and malformed fields', async () => {
    const { address: _a, ...noAddress } = residence;
    const e = await validationError(
      renderer.render('residence-declaration/residence-certificate', 'lv', envelope, {
        ...noAddress,
        declaredFrom: '2024-02-30',
      }),
    );
    expect(e.fields).toEqual(
      expect.arrayContaining([
        { field: 'data.address', message: 'documents:validation.required' },
        { field: 'data.declaredFrom', message: 'documents:validation.invalid' },
      ]),
    );
    const wrongType = await validationError(
      renderer.render('generic/notice', 'en', envelope, {
        ...TEMPLATES['generic/notice'].sample,
        paragraphs: 'one',
      }),
    );
    expect(wrongType.fields).toEqual([
      {
        field: 'data.paragraphs',
        message: 'documents:validation.invalidType',
        params: { expected: 'array' },
      },
    ]);
  });

  it('rejects an unknown template or language', async () => {
    const a = await validationError(renderer.render('generic/nope', 'lv', envelope, {}));
    expect(a.fields[0]).toMatchObject({
      field: 'templateKey',
      message: 'documents:validation.unknownTemplate',
    });
    const b = await validationError(
      renderer.render('generic/notice', 'de', envelope, TEMPLATES['generic/notice'].sample),
    );
    expect(b.fields[0]).toMatchObject({
      field: 'language',
      message: 'documents:validation.unknownLanguage',
    });
  });

  it('versions each template by content: stable, and different per language', () => {
    const lv = renderer.templateVersion('generic/decision', 'lv');
    expect(new DocumentRenderer().templateVersion('generic/decision', 'lv')).toBe(lv);
    expect(renderer.templateVersion('generic/decision', 'en')).not.toBe(lv);
  });

  it('has every label and template title in every language', () => {
    const load = (l: string) =>
      JSON.parse(readFileSync(fromRoot('src/documents/locales', l, 'documents.json'), 'utf8'));
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v as object, `${p}${k}.`) : [`${p}${k}`],
      );
    const lv = keys(load('lv')).sort();
    expect(keys(load('en')).sort()).toEqual(lv);
    expect(keys(load('el')).sort()).toEqual(lv);
    for (const k of catalogue.keys())
      expect(lv).toContain(templateTitleKey(k).replace(/^documents:/, ''));
  });
});
