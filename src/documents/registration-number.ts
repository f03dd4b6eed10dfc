import type { EntityManager } from 'typeorm';

/**
 * Registration numbers: `<MUN>-<REGISTER>/<YEAR>/<NNNNNN>`, e.g. `TUK-CERT/2026/000123`
 * (docs/documents.md). MUN is the first three letters or digits of the municipality code, REGISTER
 * the template's register, YEAR the calendar year of issue in the municipality's time zone.
 */
export function formatRegistrationNumber(
  municipalityCode: string,
  register: string,
  year: number,
  n: number,
): string {
  const mun = municipalityCode
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 3)
    .toUpperCase();
  return `${mun}-${register}/${year}/${String(n).padStart(6, '0')}`;
}

export const REGISTRATION_NUMBER = /^[A-Z0-9]{1,3}-[A-Z]{2,8}\/\d{4}\/\d{6,}$/;

/** The calendar year of `at` in `timeZone` (a document issued 1 Jan 00:30 in Riga is in the new year). */
export function yearIn(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}

/**
 * The next number of the register, taken inside the caller's transaction: the counter row stays
 * locked until that transaction ends, and rolls back with it, so the numbers have no gaps.
 */
export async function nextInRegister(
  em: EntityManager,
  municipalityId: string,
  register: string,
  year: number,
): Promise<number> {
  const [row] = (await em.query(
    `INSERT INTO document_counters (municipality_id, register, year, last) VALUES ($1, $2, $3, 1)
     ON CONFLICT (municipality_id, register, year) DO UPDATE SET last = document_counters.last + 1
     RETURNING last`,
    [municipalityId, register, year],
  )) as Array<{ last: number }>;
  return row.last;
}

/**
 * One issue at a time per register inside this process, so concurrent issues wait here rather
 * than each holding a pooled connection while blocked on the counter row (which still orders
 * issues across processes).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
