import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalTranslator } from '../../../src/delivery/translator';

const SRC = join(__dirname, '..', '..', '..', 'src');
const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
const load = (area: string, ns: string, lang: string): object =>
  JSON.parse(readFileSync(join(SRC, area, 'locales', lang, `${ns}.json`), 'utf8')) as object;

describe('deadline and delivery texts', () => {
  it.each([
    ['deadlines', 'deadlines'],
    ['delivery', 'delivery'],
  ])('%s has the same keys in lv, en and el', (area, ns) => {
    const lv = keys(load(area, ns, 'lv')).sort();
    expect(keys(load(area, ns, 'en')).sort()).toEqual(lv);
    expect(keys(load(area, ns, 'el')).sort()).toEqual(lv);
  });

  it('renders a notice in each language with its values, falling back to Latvian', () => {
    const t = createLocalTranslator();
    const vars = { caseNumber: 'TUK-2026-000001', dueOn: '2026-04-10', reason: 'r', basis: 'b' };
    expect(t.t('lv', 'deadlines:notice.extension.subject', vars)).toBe(
      'Lēmuma pieņemšanas termiņš pagarināts līdz 2026-04-10',
    );
    expect(t.t('en', 'deadlines:notice.extension.subject', vars)).toBe(
      'The decision deadline has been extended to 2026-04-10',
    );
    expect(t.t('el', 'deadlines:notice.extension.subject', vars)).toBe(
      'Η προθεσμία έκδοσης απόφασης παρατάθηκε έως τις 2026-04-10',
    );
    expect(t.t('en', 'deadlines:notice.extension.body', vars)).toContain('(case TUK-2026-000001)');
    expect(t.t('lv', 'deadlines:notice.extension.body', vars)).toContain('(lieta TUK-2026-000001)');
    expect(t.t('el', 'deadlines:notice.extension.body', vars)).toContain(
      '(υπόθεση TUK-2026-000001)',
    );
    expect(t.t('de', 'delivery:status.dead')).toBe('Nepiegādāta');
  });
});
