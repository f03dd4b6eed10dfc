/**
 * Pure results remembered by key, computed on first use (formatters, formatted dates, holiday sets,
 * working-day spans). Emptied when it reaches `limit` entries: forgetting costs only a
 * recomputation, and memory stays bounded. A cache, not a registry: nothing is registered through
 * it, and every value can be computed again from its key.
 */
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K, compute: () => V): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
