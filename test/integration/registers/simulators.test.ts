import type { INestApplication } from '@nestjs/common';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../../../src/integrations/address/address-register.port';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../../src/integrations/population/population-register.port';
import { PopulationRegisterGateway } from '../../../src/integrations/population/population-register.gateway';
import {
  PROPERTY_REGISTER,
  type PropertyRegister,
} from '../../../src/integrations/property/property-register.port';
import { RegisterGatewayConfig } from '../../../src/integrations/sim/gateway-config';
import { Simulators } from '../../../src/integrations/sim/simulators';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { createTestApp, ownerQuery, seedStandardPopulation } from './support';

describe('register simulators on PostgreSQL', () => {
  let app: INestApplication;
  let population: PopulationRegister;
  let addresses: AddressRegister;
  let property: PropertyRegister;
  let sims: Simulators;

  beforeAll(async () => {
    await seedStandardPopulation();
    app = await createTestApp();
    population = app.get(POPULATION_REGISTER);
    addresses = app.get(ADDRESS_REGISTER);
    property = app.get(PROPERTY_REGISTER);
    sims = app.get(Simulators);
  });
  afterAll(() => app.close());
  afterEach(() => sims.resetAll());

  it('finds a person by personal code', async () => {
    const [row] = await ownerQuery<{ personal_code: string; given_name: string }>(
      `SELECT personal_code, given_name FROM sim_persons ORDER BY personal_code LIMIT 1 OFFSET 7`,
    );
    const p = await population.getPerson(row.personal_code);
    expect(p?.givenName).toBe(row.given_name);
    expect(await population.getPerson('010190-12349')).toBeNull();
  });

  it('searches names without diacritics: "berzins" finds Bērziņš', async () => {
    const hits = await population.searchByName({ text: 'berzins', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /^bērziņ/i.test(h.familyName) || /^berzin/i.test(h.givenName))).toBe(
      true,
    );
    expect(hits.some((h) => h.familyName === 'Bērziņš')).toBe(true);
  });

  it('narrows a name search with a second word matching the given name, in either order', async () => {
    const [row] = await ownerQuery<{ given_name: string; family_name: string }>(
      `SELECT given_name, family_name FROM sim_persons WHERE family_name = 'Kalniņa' ORDER BY personal_code LIMIT 1`,
    );
    const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    for (const text of [
      `${plain(row.family_name)} ${plain(row.given_name)}`,
      `${row.given_name} ${row.family_name}`,
    ]) {
      const hits = await population.searchByName({ text });
      expect(hits.length).toBeGreaterThan(0);
      expect(
        hits.every((h) => h.familyName === row.family_name && h.givenName === row.given_name),
      ).toBe(true);
    }
  });

  it('returns parents and children as mirror images of each other', async () => {
    const [link] = await ownerQuery<{ personal_code: string; related_code: string }>(
      `SELECT personal_code, related_code FROM sim_family_links WHERE kind = 'parent' ORDER BY 1, 2 LIMIT 1`,
    );
    const ofChild = await population.getFamily(link.related_code);
    expect(ofChild).toContainEqual(
      expect.objectContaining({
        relation: 'parent',
        person: expect.objectContaining({ personalCode: link.personal_code }),
      }),
    );
    const ofParent = await population.getFamily(link.personal_code);
    expect(ofParent).toContainEqual(
      expect.objectContaining({
        relation: 'child',
        person: expect.objectContaining({ personalCode: link.related_code }),
      }),
    );
  });

  it('registers a new residence idempotently, ending the previous one, and annuls it', async () => {
    const [row] = await ownerQuery<{ personal_code: string; address_code: string }>(
      `SELECT personal_code, address_code FROM sim_residences WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 11`,
    );
    const [target] = await ownerQuery<{ code: string }>(
      `SELECT code FROM sim_addresses WHERE kind = 'apartment' AND code <> $1 ORDER BY code LIMIT 1`,
      [row.address_code],
    );
    const req = {
      requestRef: `case-1:${row.personal_code}`,
      personalCode: row.personal_code,
      addressCode: target.code,
      validFrom: '2026-02-01',
      basis: 'lease',
    };
    const first = await population.registerResidence(req);
    const again = await population.registerResidence(req);
    expect(again).toEqual(first);
    expect(await population.getDeclaredResidence(row.personal_code)).toEqual(first);
    const history = await population.getResidenceHistory(row.personal_code);
    expect(history.filter((h) => h.status === 'active')).toHaveLength(1);
    expect(history).toContainEqual(
      expect.objectContaining({
        addressCode: row.address_code,
        status: 'ended',
        validTo: '2026-01-31',
      }),
    );
    expect((await population.listDeclaredAt(target.code)).map((p) => p.personalCode)).toContain(
      row.personal_code,
    );

    const annulled = await population.annulResidence({
      requestRef: `case-2:${row.personal_code}`,
      personalCode: row.personal_code,
      residenceId: first.id,
      annulledFrom: '2026-02-01',
    });
    expect(annulled).toEqual(
      expect.objectContaining({ status: 'annulled', annulledFrom: '2026-02-01' }),
    );
    expect(await population.getDeclaredResidence(row.personal_code)).toBeNull();
  });

  it('rejects a residence at an address that is not in the address register, changing nothing', async () => {
    const [row] = await ownerQuery<{ personal_code: string }>(
      `SELECT personal_code FROM sim_residences WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 20`,
    );
    const before = await population.getResidenceHistory(row.personal_code);
    await expect(
      population.registerResidence({
        requestRef: 'bad-address',
        personalCode: row.personal_code,
        addressCode: '999999999',
        validFrom: '2026-02-01',
        basis: 'lease',
      }),
    ).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      fields: [{ field: 'addressCode', message: 'registers:address.unknown' }],
    });
    expect(await population.getResidenceHistory(row.personal_code)).toEqual(before);
  });

  it('finds addresses by code and by text without diacritics', async () => {
    const [row] = await ownerQuery<{
      code: string;
      street: string;
      house: string;
      apartment: string;
      territory: string;
    }>(
      `SELECT code, street, house, apartment, territory FROM sim_addresses WHERE kind = 'apartment' AND territory <> 'Rīga' ORDER BY code LIMIT 1`,
    );
    expect((await addresses.getByCode(row.code))?.postcode).toMatch(/^LV-\d{4}$/);
    const text = `${row.street.normalize('NFD').replace(/\p{M}/gu, '')} ${row.house}-${row.apartment} ${row.territory.toLowerCase()}`;
    const hits = await addresses.search({ text, limit: 100 });
    expect(hits.map((h) => h.code)).toContain(row.code);
    expect(hits.every((h) => h.territory === row.territory)).toBe(true);
  });

  it('lists the owners and shares of a dwelling', async () => {
    const [row] = await ownerQuery<{ address_code: string }>(
      `SELECT p.address_code FROM sim_properties p JOIN sim_property_shares s USING (cadastral_number) WHERE s.share_denominator = 2 ORDER BY 1 LIMIT 1`,
    );
    const [prop] = await property.getByAddress(row.address_code);
    expect(prop.owners).toHaveLength(2);
    expect(prop.owners.map((o) => `${o.shareNumerator}/${o.shareDenominator}`)).toEqual([
      '1/2',
      '1/2',
    ]);
    const owned = await property.listOwnedBy(prop.owners[0].ownerCode);
    expect(owned.map((o) => o.cadastralNumber)).toContain(prop.cadastralNumber);
  });

  describe('failure injection', () => {
    it('fails the next N calls with a retryable error, then answers again', async () => {
      sims.faults('population').set({ failNext: 2 });
      for (let i = 0; i < 2; i++) {
        await expect(population.getPerson('010190-12349')).rejects.toMatchObject({
          code: ErrorCode.ExternalUnavailable,
          retryable: true,
        });
      }
      await expect(population.getPerson('010190-12349')).resolves.toBeNull();
      expect(sims.faults('population').status()).toMatchObject({
        calls: 3,
        failed: 2,
        failNext: 0,
      });
    });

    it('keeps a simulator down until switched back, without affecting the others', async () => {
      sims.faults('address').set({ down: true });
      await expect(addresses.search({ text: 'rīga' })).rejects.toBeInstanceOf(DomainError);
      await expect(addresses.getByCode('100000001')).rejects.toMatchObject({
        code: ErrorCode.ExternalUnavailable,
      });
      await expect(property.getByAddress('100000001')).resolves.toBeDefined();
      sims.faults('address').set({ down: false });
      await expect(addresses.getByCode('100000001')).resolves.toMatchObject({ code: '100000001' });
    });

    it('adds latency to every call', async () => {
      sims.faults('property').set({ latencyMs: 150 });
      const t = Date.now();
      await property.getByAddress('100000001');
      expect(Date.now() - t).toBeGreaterThanOrEqual(145);
    });
  });

  it('binds the real adapters with REGISTERS=gateway, and a lookup fails as misconfigured, not retryable', async () => {
    const gwApp = await createTestApp({ REGISTERS: 'gateway' });
    try {
      const gw = gwApp.get<PopulationRegister>(POPULATION_REGISTER);
      expect(gw).toBeInstanceOf(PopulationRegisterGateway);
      await expect(gw.getPerson('010190-12349')).rejects.toMatchObject({
        code: ErrorCode.Misconfigured,
        retryable: false,
      });
    } finally {
      await gwApp.close();
    }
  });

  it('real gateway adapters fail clearly as misconfigured', async () => {
    const gw = new PopulationRegisterGateway(
      new RegisterGatewayConfig(undefined, undefined, 'CIVITAS', 1000),
    );
    await expect(gw.getPerson('010190-12349')).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      retryable: false,
      message: expect.stringContaining('REGISTER_GATEWAY_URL'),
    });
  });
});
