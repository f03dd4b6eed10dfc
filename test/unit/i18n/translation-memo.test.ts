import { I18nService } from '../../../src/platform/i18n/i18n.service';

const resources = {
  lv: {
    common: {
      hello: 'Sveiki, {{name}}',
      files_one: '{{count}} datne',
      files_other: '{{count}} datnes',
      files_zero: '{{count}} datņu',
    },
  },
  en: {
    common: {
      hello: 'Hello, {{name}}',
      files_one: '{{count}} file',
      files_other: '{{count}} files',
    },
  },
};

describe('translations are memoised without mixing their inputs', () => {
  const i18n = new I18nService(resources);

  it('keeps languages, variables and plural forms apart on repeated calls', () => {
    for (let round = 0; round < 2; round++) {
      expect(i18n.t('en', 'hello', { name: 'Anna' })).toBe('Hello, Anna');
      expect(i18n.t('en', 'hello', { name: 'Jānis' })).toBe('Hello, Jānis');
      expect(i18n.t('lv', 'hello', { name: 'Anna' })).toBe('Sveiki, Anna');
      expect(i18n.t('en', 'files', { count: 1 })).toBe('1 file');
      expect(i18n.t('en', 'files', { count: 2 })).toBe('2 files');
      expect(i18n.t('en', 'files', { count: '2' })).not.toBe(i18n.t('en', 'files', { count: 1 }));
    }
  });

  it('translates calls with object variables without caching them', () => {
    const who = { toString: () => 'Pēteris' };
    expect(i18n.t('en', 'hello', { name: who })).toBe('Hello, Pēteris');
  });
});
