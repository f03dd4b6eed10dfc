/**
 * Search form of a name or address: decomposed, combining marks dropped, lower case, single
 * spaces. "Bērziņš" → "berzins", "Ļaudaks" → "laudaks", "Παπαδόπουλος" → "παπαδοπουλος".
 * Stored in *_norm columns (collation "C") so that prefix search uses a plain b-tree index.
 */
export function normalizeForSearch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Search tokens (at most `max`), each at least `minLength` characters. */
export function searchTokens(query: string, max = 4): string[] {
  return normalizeForSearch(query).split(' ').filter(Boolean).slice(0, max);
}

/** Escapes LIKE wildcards in a token used as a prefix pattern. */
export const likePrefix = (token: string): string =>
  `${token.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * SQL condition: every token is a prefix of family_name_norm or given_name_norm. Each branch is
 * a range scan on a b-tree index over a collation "C" column. Parameters start at $first.
 */
export function nameWhere(tokens: string[], first = 1): { where: string; params: string[] } {
  const params = tokens.map(likePrefix);
  const where = params
    .map((_, i) => `(family_name_norm LIKE $${first + i} OR given_name_norm LIKE $${first + i})`)
    .join(' AND ');
  return { where, params };
}
