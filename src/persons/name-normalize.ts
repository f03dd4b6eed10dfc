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

export interface NameSearchSql {
  sql: string;
  params: unknown[];
}

/**
 * Name search over a table with family_name_norm / given_name_norm (collation "C") and b-tree
 * indexes on (…, family_name_norm, given_name_norm, personal_code) and (…, given_name_norm,
 * family_name_norm, personal_code), where … is the optional `scope` column.
 *
 * One word: it is a prefix of the family or the given name. Two or more: one of the first two
 * words is a prefix of the family name and the other of the given name (either order); further
 * words must each prefix one of the names. Each alternative is its own ordered index range scan
 * with a LIMIT, so a common name ("berzina") stops after `limit` rows instead of sorting tens of
 * thousands.
 */
export function nameSearchSql(opts: {
  table: string;
  columns: string;
  tokens: string[];
  limit: number;
  scope?: { column: string; value: unknown };
}): NameSearchSql {
  const { table, columns, tokens, limit, scope } = opts;
  const params: unknown[] = scope ? [scope.value] : [];
  const p = (v: string): string => `$${params.push(v)}`;
  const scoped = scope ? `${scope.column} = $1 AND ` : '';
  const byFamily = 'family_name_norm, given_name_norm, personal_code';
  const byGiven = 'given_name_norm, family_name_norm, personal_code';
  const branch = (where: string, order: string): string =>
    `(SELECT ${columns} FROM ${table} WHERE ${scoped}${where} ORDER BY ${order} LIMIT ${limit})`;
  let branches: string[];
  if (tokens.length === 1) {
    const t = p(likePrefix(tokens[0]));
    branches = [
      branch(`family_name_norm LIKE ${t}`, byFamily),
      branch(`given_name_norm LIKE ${t}`, byGiven),
    ];
  } else {
    const [a, b] = [p(likePrefix(tokens[0])), p(likePrefix(tokens[1]))];
    const rest = tokens
      .slice(2)
      .map((t) => {
        const x = p(likePrefix(t));
        return ` AND (family_name_norm LIKE ${x} OR given_name_norm LIKE ${x})`;
      })
      .join('');
    branches = [
      branch(`family_name_norm LIKE ${a} AND given_name_norm LIKE ${b}${rest}`, byFamily),
      branch(`family_name_norm LIKE ${b} AND given_name_norm LIKE ${a}${rest}`, byFamily),
    ];
  }
  return {
    sql: `SELECT * FROM (${branches.join(' UNION ')}) u ORDER BY ${byFamily} LIMIT ${limit}`,
    params,
  };
}
