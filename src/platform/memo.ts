/**
 * The value remembered under `key`, computed on first use. The map is emptied when it reaches
 * `limit` entries: the memos here hold pure results (translations, formatted dates, working-day
 * spans), so forgetting costs only a recomputation, and memory stays bounded.
 */
export function remember<K, V>(memo: Map<K, V>, key: K, limit: number, compute: () => V): V {
  let value = memo.get(key);
  if (value === undefined) {
    value = compute();
    if (memo.size >= limit) memo.clear();
    memo.set(key, value);
  }
  return value;
}
