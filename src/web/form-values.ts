/**
 * Values of a submitted page form as the handler expects them. A browser sends each field once, as
 * text; a tampered or scripted request may repeat a field, or post JSON with numbers and objects.
 * Anything that is not text is left out, so the form's own checks name the field.
 */
/** A field that may be repeated (checkboxes, several codes): its text values. */
export const formTexts = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

/** A page number from the query: a positive whole number within reach, else the first page. */
export function pageNumber(v: unknown, max = 10_000): number {
  const n = typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 1;
  return Math.min(Math.max(n, 1), max);
}

/**
 * A page form body reduced to what a browser can send: text fields, and text lists for the fields
 * named in `lists`. Other values (numbers, objects, a repeated single field) are left out.
 */
export function textFields<T extends object>(body: unknown, lists: readonly string[] = []): T {
  const out: Record<string, string | string[]> = {};
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (lists.includes(k)) out[k] = formTexts(v);
      else if (typeof v === 'string') out[k] = v;
    }
  }
  return out as T;
}
