import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CalendarService } from '../../../src/deadlines/calendar/calendar.service';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { appDataSource } from '../platform/db';
import { createMunicipality } from '../../factories/municipalities';

/** A shipped default may carry a key's history (the 2021–2026 thresholds): seeded whole, once. Real PostgreSQL. */
let ds: DataSource;
let params: ParametersService;
let m: string;
const countries = { countryOf: async () => 'LV' } as unknown as CalendarService;

beforeAll(async () => {
  ds = await appDataSource(2);
  params = new ParametersService(ds, countries);
  m = (await createMunicipality(ds)).id;
});
afterAll(() => ds.destroy());

it('seeds every version of a key oldest first, each ending the day before the next, and never again', async () => {
  const key = `test.history-${randomBytes(4).toString('hex')}`;
  const v = (validFrom: string, value: string) => ({
    country: 'LV',
    key,
    unit: 'EUR',
    validFrom,
    value,
    note: 'test',
  });
  // Given out of order: the seed sorts them.
  await params.seedDefaults([
    v('2026-01-01', '187'),
    v('2021-01-01', '109'),
    v('2023-07-01', '125'),
  ]);
  const on = async (d: string) => (await params.effective(m, key, d)).value;
  expect([await on('2022-12-31'), await on('2023-07-01'), await on('2026-06-01')]).toEqual([
    '109.0000',
    '125.0000',
    '187.0000',
  ]);
  const rows = (await params.list('LV', m)).filter((p) => p.key === key);
  expect(rows.map((p) => [p.validFrom, p.validTo])).toEqual([
    ['2021-01-01', '2023-06-30'],
    ['2023-07-01', '2025-12-31'],
    ['2026-01-01', null],
  ]);
  // An administrator's later version survives the next start-up's seed; nothing is added twice.
  await params.define({
    country: 'LV',
    municipalityId: null,
    key,
    value: '200',
    unit: 'EUR',
    validFrom: '2027-01-01',
  });
  await params.seedDefaults([v('2021-01-01', '109'), v('2028-01-01', '999')]);
  expect((await params.list('LV', m)).filter((p) => p.key === key)).toHaveLength(4);
  expect(await on('2028-06-01')).toBe('200.0000');
});
