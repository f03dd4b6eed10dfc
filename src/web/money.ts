import type { Lang } from '../platform/i18n/i18n.service';
import { Memo } from '../platform/memo';

const LOCALE: Record<Lang, string> = { lv: 'lv-LV', en: 'en-GB', el: 'el-GR' };
const formats = new Memo<Lang, Intl.NumberFormat>(8);

/** An amount in euro cents as the user's language writes money: "4,27 €" (lv, el), "€4.27" (en). */
export function formatMoney(cents: number, lang: Lang): string {
  const f = formats.get(
    lang,
    () => new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR' }),
  );
  return f.format(cents / 100);
}
