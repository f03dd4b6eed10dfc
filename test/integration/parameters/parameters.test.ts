import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CalendarService } from '../../../src/deadlines/calendar/calendar.service';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { appDataSource } from '../platform/db';
import { createMunicipality } from '../../factories/municipalities';

/**
 * Fees and other amounts as effective-dated parameters (issue 16: a wrong fee is a wrong legal
 * outcome): which version is in force on a date, a municipal override before the national value,
 * and what a new version refuses and closes. Against real PostgreSQL.
 */
let ds: DataSource;
let params: ParametersService;
let a: { id: string };
let b: { id: string };
const countries = { countryOf: async () => 'LV' } as unknown as CalendarService;
const newKey = () => `test.fee-${randomBytes(4).toString('hex')}`;
const version = (
  key: string,
  value: string,
  validFrom: string,
  municipalityId: string | null = null,
) => params.define({ country: 'LV', municipalityId, key, value, unit: 'EUR', validFrom });
const valueOn = async (municipalityId: string, key: string, on: string) =>
  Number((await params.effective(municipalityId, key, on)).value);
const fieldsOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return (e as DomainError).fields.map((f) => `${f.field}:${f.message}`);
};

beforeAll(async () => {
  ds = await appDataSource(2);
  params = new ParametersService(ds, countries);
  a = await createMunicipality(ds);
  b = await createMunicipality(ds);
});
afterAll(() => ds.destroy());

describe('parameters in force on a date', () => {
  it('gives the version in force on each date, the older one ending the day before the newer starts', async () => {
    const key = newKey();
    await version(key, '4.27', '2020-01-01');
    await version(key, '5', '2025-01-01');
    expect(await valueOn(a.id, key, '2020-01-01')).toBe(4.27);
    expect(await valueOn(a.id, key, '2024-12-31')).toBe(4.27);
    expect(await valueOn(a.id, key, '2025-01-01')).toBe(5);
    const rows = (await params.list('LV', a.id)).filter((p) => p.key === key);
    expect(rows.map((p) => [p.validFrom, p.validTo])).toEqual([
      ['2020-01-01', '2024-12-31'],
      ['2025-01-01', null],
    ]);
  });

  it('prefers the municipality’s own version from its date, and leaves other municipalities on the national one', async () => {
    const key = newKey();
    await version(key, '4.27', '2020-01-01');
    await version(key, '0', '2024-06-01', a.id);
    expect(await valueOn(a.id, key, '2024-05-31')).toBe(4.27);
    expect(await valueOn(a.id, key, '2024-06-01')).toBe(0);
    expect(await valueOn(b.id, key, '2024-06-01')).toBe(4.27);
    // A national change does not close the municipal version, nor override it.
    await version(key, '6', '2026-01-01');
    expect(await valueOn(a.id, key, '2026-01-01')).toBe(0);
    expect(await valueOn(b.id, key, '2026-01-01')).toBe(6);
    // Listed by key, national versions first, each by date.
    const mine = (await params.list('LV', a.id)).filter((p) => p.key === key);
    expect(mine.map((p) => [p.municipalityId, p.validFrom, p.validTo])).toEqual([
      [null, '2020-01-01', '2025-12-31'],
      [null, '2026-01-01', null],
      [a.id, '2024-06-01', null],
    ]);
    expect(
      (await params.list('LV', b.id))
        .filter((p) => p.key === key)
        .every((p) => p.municipalityId === null),
    ).toBe(true);
  });

  it('refuses a date before the first version with a field error naming the key and the date', async () => {
    const key = newKey();
    await version(key, '1', '2020-01-01');
    const e = await params.effective(a.id, key, '2019-12-31').then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(ErrorCode.NotFound);
    expect((e as DomainError).message).toBe(`no parameter ${key} in force on 2019-12-31`);
    expect((e as DomainError).fields).toEqual([
      {
        field: 'key',
        message: 'admin:errors.parameterMissing',
        params: { key, date: '2019-12-31' },
      },
    ]);
  });

  it('keeps a later version when an earlier one is added afterwards', async () => {
    const key = newKey();
    await version(key, '1', '2020-01-01');
    await version(key, '3', '2030-01-01');
    await version(key, '2', '2027-01-01');
    expect(await valueOn(a.id, key, '2026-12-31')).toBe(1);
    expect(await valueOn(a.id, key, '2027-01-01')).toBe(2);
    expect(await valueOn(a.id, key, '2030-01-01')).toBe(3);
  });
});

describe('defining a parameter version', () => {
  it('names every bad field at once and writes nothing', async () => {
    const key = 'Bad Key';
    expect(
      await fieldsOf(
        params.define({
          country: 'LV',
          municipalityId: null,
          key,
          value: 'four',
          unit: ' ',
          validFrom: '2025-02-30',
        }),
      ),
    ).toEqual([
      'key:admin:errors.parameterKey',
      'value:admin:errors.parameterValue',
      'unit:admin:errors.parameterUnit',
      'validFrom:deadlines:errors.dueDateInvalid',
    ]);
    expect(
      await fieldsOf(
        params.define({
          country: 'LV',
          municipalityId: null,
          key: 'fee',
          value: '1.23456',
          unit: 'x'.repeat(41),
          validFrom: '2025-01-01',
        }),
      ),
    ).toEqual([
      'key:admin:errors.parameterKey',
      'value:admin:errors.parameterValue',
      'unit:admin:errors.parameterUnit',
    ]);
    expect(
      (
        await ds.query(`SELECT count(*)::int AS n FROM parameters WHERE key IN ('Bad Key', 'fee')`)
      )[0].n,
    ).toBe(0);
  });

  it('takes keys of dotted lower-case words, as many as the process needs, and nothing around them', async () => {
    const r = randomBytes(3).toString('hex');
    await params.define({
      country: 'LV',
      municipalityId: null,
      key: `test.fee-${r}.counter`,
      value: '1',
      unit: 'EUR',
      validFrom: '2020-01-01',
    });
    for (const key of [
      `1test.fee-${r}`,
      `test.fee-${r}!`,
      `Test.fee-${r}`,
      ` test.fee-${r}`,
      `test-${r}`,
    ]) {
      expect(
        await fieldsOf(
          params.define({
            country: 'LV',
            municipalityId: null,
            key,
            value: '1',
            unit: 'EUR',
            validFrom: '2020-01-01',
          }),
        ),
      ).toEqual(['key:admin:errors.parameterKey']);
    }
  });

  it('lists the parameters by key, national versions first, each by date', async () => {
    const r = randomBytes(3).toString('hex');
    await version(`test.zz-${r}`, '1', '2021-01-01');
    await version(`test.zz-${r}`, '2', '2020-01-01', a.id);
    await version(`test.zz-${r}`, '3', '2020-01-01');
    await version(`test.aa-${r}`, '4', '2020-01-01');
    const mine = (await params.list('LV', a.id)).filter((p) => p.key.endsWith(r));
    expect(mine.map((p) => [p.key, p.municipalityId, p.validFrom])).toEqual([
      [`test.aa-${r}`, null, '2020-01-01'],
      [`test.zz-${r}`, null, '2020-01-01'],
      [`test.zz-${r}`, null, '2021-01-01'],
      [`test.zz-${r}`, a.id, '2020-01-01'],
    ]);
  });

  it('reads a decimal comma and trims the value and unit', async () => {
    const key = newKey();
    const p = await params.define({
      country: 'LV',
      municipalityId: null,
      key,
      value: ' 4,27 ',
      unit: ' EUR ',
      validFrom: '2020-01-01',
      note: 'MK 720',
      createdBy: 'admin-1',
    });
    expect(p).toMatchObject({
      key,
      value: '4.27',
      unit: 'EUR',
      note: 'MK 720',
      createdBy: 'admin-1',
      validTo: null,
    });
    expect(await valueOn(a.id, key, '2020-01-01')).toBe(4.27);
    const q = await params.define({
      country: 'LV',
      municipalityId: null,
      key,
      value: '-10.5',
      unit: '%',
      validFrom: '2021-01-01',
    });
    expect(q).toMatchObject({ value: '-10.5', note: '', createdBy: '' });
    expect(
      await fieldsOf(
        params.define({
          country: 'LV',
          municipalityId: null,
          key,
          value: '12345678901',
          unit: 'EUR',
          validFrom: '2022-01-01',
        }),
      ),
    ).toEqual(['value:admin:errors.parameterValue']);
    await params.define({
      country: 'LV',
      municipalityId: null,
      key,
      value: '1234567890.1234',
      unit: 'x'.repeat(40),
      validFrom: '2022-01-01',
    });
  });

  it('refuses a second version from the same date in the same scope, not in another scope', async () => {
    const key = newKey();
    await version(key, '1', '2020-01-01');
    expect(await fieldsOf(version(key, '2', '2020-01-01'))).toEqual([
      'validFrom:admin:errors.parameterExists',
    ]);
    await version(key, '3', '2020-01-01', a.id);
    expect(await fieldsOf(version(key, '4', '2020-01-01', a.id))).toEqual([
      'validFrom:admin:errors.parameterExists',
    ]);
    await version(key, '5', '2020-01-01', b.id);
    expect(await valueOn(b.id, key, '2020-01-01')).toBe(5);
  });
});

describe('list parameters (grounds) and shipped defaults', () => {
  const ground = (code: string) => ({
    code,
    label: { lv: `lv ${code}`, en: `en ${code}`, el: `el ${code}` },
    legalReference: `law ${code}`,
  });

  it('gives the items in force on a date; a later version may drop an item; a number cannot replace the list', async () => {
    const key = newKey();
    await params.defineList({
      country: 'LV',
      municipalityId: null,
      key,
      items: [ground('a'), ground('b')],
      validFrom: '2020-01-01',
    });
    await params.defineList({
      country: 'LV',
      municipalityId: null,
      key,
      items: [ground('b')],
      validFrom: '2024-01-01',
    });
    expect((await params.effectiveList(a.id, key, '2023-12-31')).items.map((i) => i.code)).toEqual([
      'a',
      'b',
    ]);
    expect((await params.effectiveList(a.id, key, '2024-01-01')).items.map((i) => i.code)).toEqual([
      'b',
    ]);
    expect(await fieldsOf(version(key, '3', '2025-01-01'))).toEqual([
      'key:admin:errors.parameterIsList',
    ]);
    expect(
      await fieldsOf(
        params.defineList({
          country: 'LV',
          municipalityId: null,
          key,
          items: [ground('Bad Code')],
          validFrom: '2025-01-01',
        }),
      ),
    ).toEqual(['items:admin:errors.parameterValue']);
    expect(
      await fieldsOf(
        params.defineList({
          country: 'LV',
          municipalityId: null,
          key,
          items: [ground('b'), ground('b')],
          validFrom: '2025-01-01',
        }),
      ),
    ).toEqual(['items:admin:errors.parameterValue']);
  });

  it('seeds a shipped default once: a second start-up, or an administrator’s later version, is left as it is', async () => {
    const key = newKey();
    const defaults = [
      { country: 'LV', key, value: '14', unit: 'days', validFrom: '2000-01-01', note: 'source' },
    ];
    await params.seedDefaults(defaults);
    await version(key, '21', '2024-01-01');
    await params.seedDefaults(defaults);
    expect(await valueOn(a.id, key, '2023-06-01')).toBe(14);
    expect(await valueOn(a.id, key, '2024-06-01')).toBe(21);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM parameters WHERE key = $1`, [key]),
    ).toEqual([{ n: 2 }]);
  });
});
