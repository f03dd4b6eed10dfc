import { I18nService, LANGUAGES } from '../../../src/platform/i18n/i18n.service';

describe('translations', () => {
  const i18n = new I18nService();

  // Plural forms differ by language (Latvian has a zero form, English and Greek do not).
  const base = (keys: string[]): string[] => [...new Set(keys.map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')))].sort();

  it.each(i18n.namespaces())('namespace %s has the same keys in lv, en and el', (ns) => {
    const lv = base(i18n.keys('lv', ns));
    expect(lv.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) expect(base(i18n.keys(lang, ns))).toEqual(lv);
  });

  it('interpolates variables', () => {
    expect(i18n.t('en', 'common:signedInAs', { name: 'Anna Bērziņa' })).toBe('Signed in as Anna Bērziņa');
  });
});
