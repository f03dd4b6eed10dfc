import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { I18nService, LANGUAGES } from '../../../src/platform/i18n/i18n.service';

describe('translations', () => {
  const i18n = new I18nService();

  // Plural forms differ by language (Latvian has a zero form, English and Greek do not).
  const base = (keys: string[]): string[] =>
    [...new Set(keys.map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();

  it.each(i18n.namespaces())('namespace %s has the same keys in lv, en and el', (ns) => {
    const lv = base(i18n.keys('lv', ns));
    expect(lv.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) expect(base(i18n.keys(lang, ns))).toEqual(lv);
  });

  it('interpolates variables', () => {
    expect(i18n.t('en', 'common:signedInAs', { name: 'Anna Bērziņa' })).toBe(
      'Signed in as Anna Bērziņa',
    );
  });
});

/**
 * What the residence processes write into cases and timelines (stages, outcomes, timeline kinds,
 * task and case titles), read from their source, so a new value without a translation fails here.
 */
describe('residence process labels in the workspace', () => {
  const i18n = new I18nService();
  const root = join(__dirname, '../../..');
  const read = (...files: string[]): string =>
    files.map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
  const filesUnder = (dir: string): string[] =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f));
  const literals = (expr: string): string[] =>
    [...expr.matchAll(/'([^']+)'|`([^`$]+)`/g)].map((m) => m[1] ?? m[2]);
  const captured = (text: string, re: RegExp): string[] =>
    [...text.matchAll(re)].flatMap((m) => literals(m[1]));

  const processes = readdirSync(join(root, 'workflows')).filter((d) => d.startsWith('residence-'));
  const processCode = read(...processes.map((p) => `workflows/${p}/v1.ts`));
  const platformCode = read(
    ...filesUnder('activities'),
    ...filesUnder('workflows/kit'),
    ...filesUnder('src/cases'),
    'src/delivery/delivery-sender.ts',
    ...filesUnder('src/delivery/sending'),
    'src/deadlines/deadlines.service.ts',
  );
  const allCode = `${processCode}\n${platformCode}`;

  const stages = [
    ...new Set([
      ...captured(allCode, /stage: ('[a-z-]+')/g),
      ...captured(allCode, /stage = ('[a-z-]+')/g),
    ]),
  ].sort();
  const outcomes = [
    ...new Set(captured(processCode, /outcome: ((?:'[a-z-]+'\s*\|?\s*)+)/g)),
  ].sort();
  const kinds = [
    ...new Set(
      [
        ...captured(allCode, /kind: ([^,}\n]+)/g),
        ...captured(allCode, /DeliveryEventKind = ([^;]+);/g),
        ...captured(allCode, /type: ('document\.[a-z-]+')/g),
        ...captured(allCode, /markTask\(ref, '\w+', ('[a-z.]+')\)/g),
        // Kinds written by SQL (INSERT INTO timeline_events … VALUES (…, 'delivery.queued', …)).
        ...captured(allCode, /VALUES \([^)]*?('[a-z]+\.[a-z_-]+')/g),
      ].filter((k) => k.includes('.')),
    ),
  ].sort();
  const titles = [
    ...new Set(
      captured(
        read(
          ...processes.map((p) => `workflows/${p}/v1.ts`),
          ...filesUnder('src/modules/residence'),
        ),
        /title: ('[a-z-]+:[\w.-]+'|`[a-z-]+:[\w.-]+`)/g,
      ),
    ),
  ].sort();

  it('finds the values it checks in the process source', () => {
    expect(stages).toEqual(
      expect.arrayContaining(['registry-checks', 'review', 'registering', 'cancelled', 'closed']),
    );
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'registered',
        'rejected',
        'annulled',
        'kept',
        'ended-redeclared',
        'issued',
      ]),
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        'residence.registered',
        'residence.no-response',
        'delivery.dead',
        'deadline.missed',
        'task.escalated',
      ]),
    );
    expect(titles).toEqual(
      expect.arrayContaining([
        'residence:review.taskTitle',
        'residence:annulment.taskTitle',
        'residence:case.declarationTitle',
      ]),
    );
  });

  const missing = (keys: string[]): string[] =>
    LANGUAGES.flatMap((lang) => keys.filter((k) => !i18n.has(lang, k)).map((k) => `${lang} ${k}`));

  it('names every residence process, stage, outcome and timeline kind in lv, en and el', () => {
    expect(
      missing([
        ...processes.map((p) => `workspace:process.${p}`),
        ...stages.map((s) => `workspace:stage.${s}`),
        ...outcomes.map((o) => `workspace:outcome.${o}`),
        ...kinds.map((k) => `workspace:timeline.${k}`),
      ]),
    ).toEqual([]);
  });

  it('translates every task and case title the residence processes store', () => {
    expect(missing(titles)).toEqual([]);
    expect(i18n.label('en', 'residence:review.taskTitle')).toBe('Review a residence declaration');
    expect(i18n.label('lv', 'Reference: ABC-1')).toBe('Reference: ABC-1');
    expect(i18n.label('el', 'residence:no.such.key')).toBe('residence:no.such.key');
  });

  it('translates the title the locked reference process stores as text, and leaves other text alone', () => {
    expect(i18n.label('lv', 'Review the application')).toBe('Izskatīt iesniegumu');
    expect(i18n.label('el', 'Review the application')).toBe('Εξέταση της αίτησης');
    expect(i18n.label('en', 'Review the application')).toBe('Review the application');
    expect(i18n.label('lv', 'Review the application.')).toBe('Review the application.');
    expect(i18n.label('lv', 'Review something else')).toBe('Review something else');
  });
});
