/**
 * Latvian personal names in the dative case ("Izsniegta Jānim Bērziņam", "Līgai Ķēniņai").
 *
 * The endings follow the noun declensions in Latviešu valodas gramatika (LU Latviešu valodas
 * institūts, 2013, the chapter on noun declension, dative singular), which Cabinet Regulation
 * No. 114 of 2019 on the spelling and use of personal names in Latvian applies to names:
 *   masculine  1st decl. -s, -š → -am (Ozols → Ozolam, Bērziņš → Bērziņam)
 *              2nd decl. -is → -im (Jānis → Jānim); definite adjectives -ais → -ajam (Baltais)
 *              3rd decl. -us → -um (Ingus → Ingum)
 *              4th/5th decl. -a → -am, -e → -em (Liepa → Liepam, Zīle → Zīlem)
 *   feminine   4th decl. -a → -ai (Līga → Līgai), 5th decl. -e → -ei (Alise → Alisei),
 *              definite adjectives -ā → -ajai (Baltā → Baltajai)
 * The dative singular has no consonant alternation in any declension, so only the ending changes.
 * Family names follow the person's sex. Anything else (Hugo, Oto, Ruth) is indeclinable and stays
 * as it is, which is also the correct form for indeclinable names.
 */
export type Sex = 'M' | 'F';

const MASCULINE: ReadonlyArray<[string, string]> = [
  ['ais', 'ajam'],
  ['is', 'im'],
  ['us', 'um'],
  ['s', 'am'],
  ['š', 'am'],
  ['a', 'am'],
  ['e', 'em'],
];

const FEMININE: ReadonlyArray<[string, string]> = [
  ['ā', 'ajai'],
  ['a', 'ai'],
  ['e', 'ei'],
];

function declineWord(word: string, sex: Sex): string {
  if (word.length < 2) return word;
  const lower = word.toLocaleLowerCase('lv');
  const rule = (sex === 'M' ? MASCULINE : FEMININE).find(([from]) => lower.endsWith(from));
  if (!rule) return word;
  const [from, to] = rule;
  const stem = word.slice(0, word.length - from.length);
  const tail = word.slice(word.length - from.length);
  const upper = tail === tail.toLocaleUpperCase('lv') && tail !== tail.toLocaleLowerCase('lv');
  return stem + (upper ? to.toLocaleUpperCase('lv') : to);
}

/** One name (given or family; several words and hyphenated parts each decline) in the dative. */
export function latvianDative(name: string, sex: Sex): string {
  return name.replace(/[\p{L}]+/gu, (w) => declineWord(w, sex));
}

/**
 * "Jānis Bērziņš", M → "Jānim Bērziņam". Without a known sex the dative cannot be chosen
 * reliably, so the caller gets null and prints the labelled nominative form instead.
 */
export function latvianDativeFullName(fullName: string, sex: Sex | undefined): string | null {
  if (sex !== 'M' && sex !== 'F') return null;
  return latvianDative(fullName.trim(), sex);
}
