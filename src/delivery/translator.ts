import i18next, { type i18n } from 'i18next';
import deadlinesEl from '../deadlines/locales/el/deadlines.json';
import deadlinesEn from '../deadlines/locales/en/deadlines.json';
import deadlinesLv from '../deadlines/locales/lv/deadlines.json';
import deliveryEl from './locales/el/delivery.json';
import deliveryEn from './locales/en/delivery.json';
import deliveryLv from './locales/lv/delivery.json';

export type Lang = 'lv' | 'en' | 'el';
export const LANGS: readonly Lang[] = ['lv', 'en', 'el'];
export const asLang = (v: string | null | undefined): Lang =>
  (LANGS as readonly string[]).includes(v ?? '') ? (v as Lang) : 'lv';

/** Renders `ns:key` in a language. Same signature as the platform I18nService.t, which replaces it at integration. */
export interface Translator {
  t(lang: string, key: string, vars?: Record<string, string | number>): string;
}
export const TRANSLATOR = Symbol('TRANSLATOR');

/** A translator over the deadlines and delivery namespaces only (until the platform i18n service is merged). */
export function createLocalTranslator(): Translator {
  const inst: i18n = i18next.createInstance();
  void inst.init({
    initAsync: false,
    fallbackLng: 'lv',
    supportedLngs: [...LANGS],
    ns: ['deadlines', 'delivery'],
    interpolation: { escapeValue: false },
    resources: {
      lv: { deadlines: deadlinesLv, delivery: deliveryLv },
      en: { deadlines: deadlinesEn, delivery: deliveryEn },
      el: { deadlines: deadlinesEl, delivery: deliveryEl },
    },
  });
  return { t: (lang, key, vars) => inst.t(key, { lng: asLang(lang), ...vars }) };
}
