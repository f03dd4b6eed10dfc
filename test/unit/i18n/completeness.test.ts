import { I18nService, LANGUAGES } from '../../../src/platform/i18n/i18n.service';

describe('translations', () => {
  const i18n = new I18nService();

  it.each(i18n.namespaces())('namespace %s has the same keys in lv, en and el', (ns) => {
    const lv = i18n.keys('lv', ns).sort();
    expect(lv.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) expect(i18n.keys(lang, ns).sort()).toEqual(lv);
  });

  it('interpolates variables', () => {
    expect(i18n.t('en', 'common:signedInAs', { name: 'Anna Bērziņa' })).toBe('Signed in as Anna Bērziņa');
  });
});
