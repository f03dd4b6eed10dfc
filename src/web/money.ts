import type { Lang } from '../platform/i18n/i18n.service';

const LOCALE: Record<Lang, string> = { lv: 'lv-LV', en: 'en-GB', el: 'el-GR' };
const formats = new Map<Lang, Intl.NumberFormat>();

/** An amount in euro cents as the user's language writes money: "4,27 €" (lv, el), "€4.27" (en). */
export function formatMoney(cents: number, lang: Lang): string {
  let f = formats.get(lang);
  if (!f) formats.set(lang, (f = new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR' })));
  return f.format(cents / 100);
}
