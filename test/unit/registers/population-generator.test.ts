import { createHash } from 'node:crypto';
import { parsePersonalCode } from '../../../src/persons/personal-code';
import {
  PopulationGenerator,
  SIM_TABLES,
  type SimRows,
} from '../../../src/integrations/sim/population-generator';

const digest = (rows: SimRows): string => {
  const h = createHash('sha256');
  for (const t of SIM_TABLES) for (const line of rows[t]) h.update(line);
  return h.digest('hex');
};
const persons = (rows: SimRows) =>
  rows.sim_persons.map((l) => {
    const [code, given, family, givenNorm, familyNorm, sex, birthDate] = l.trimEnd().split('\t');
    return { code, given, family, givenNorm, familyNorm, sex, birthDate };
  });

describe('synthetic population generator', () => {
  const a = new PopulationGenerator(42).generate(3000);

  it('makes exactly the requested number of persons', () => {
    expect(a.sim_persons).toHaveLength(3000);
  });

  it('is deterministic: the same seed gives identical rows, another seed different ones', () => {
    expect(digest(new PopulationGenerator(42).generate(3000))).toBe(digest(a));
    expect(digest(new PopulationGenerator(43).generate(3000))).not.toBe(digest(a));
  });

  it('issues unique personal codes that pass validation, in both formats', () => {
    const ps = persons(a);
    expect(new Set(ps.map((p) => p.code)).size).toBe(ps.length);
    const today = new Date('2026-01-02T00:00:00Z');
    for (const p of ps) {
      const r = parsePersonalCode(p.code, 'code', today);
      expect(r.ok ? r.value.code : `${p.code}: ${r.error.message}`).toBe(p.code);
      if (r.ok && r.value.birthDate) expect(r.value.birthDate).toBe(p.birthDate);
    }
    expect(ps.some((p) => p.code.startsWith('32'))).toBe(true);
    expect(ps.some((p) => !p.code.startsWith('32'))).toBe(true);
    // everyone born from 1 July 2017 has a new-format code
    for (const p of ps.filter((x) => x.birthDate >= '2017-07-01'))
      expect(p.code.startsWith('32')).toBe(true);
  });

  it('uses Latvian names with diacritics in male and female forms', () => {
    const ps = persons(a);
    expect(ps.some((p) => p.sex === 'M' && p.family === 'Bērziņš')).toBe(true);
    expect(ps.some((p) => p.sex === 'F' && p.family === 'Bērziņa')).toBe(true);
    expect(ps.filter((p) => /[āčēģīķļņšūž]/i.test(p.given + p.family)).length).toBeGreaterThan(
      1000,
    );
    expect(
      ps.every(
        (p) => p.familyNorm === p.family.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(),
      ),
    ).toBe(true);
  });

  it('links children to parents who are older than them', () => {
    const born = new Map(persons(a).map((p) => [p.code, p.birthDate]));
    const links = a.sim_family_links.map((l) => l.trimEnd().split('\t'));
    expect(links.length).toBeGreaterThan(500);
    for (const [parent, child] of links) expect(born.get(parent)! < born.get(child)!).toBe(true);
  });

  it('gives every person exactly one current declared residence at an existing dwelling', () => {
    const addresses = new Set(a.sim_addresses.map((l) => l.split('\t')[0]));
    const current = a.sim_residences
      .map((l) => l.trimEnd().split('\t'))
      .filter((r) => r[5] === 'active');
    expect(current).toHaveLength(3000);
    expect(new Set(current.map((r) => r[1])).size).toBe(3000);
    for (const r of current) expect(addresses.has(r[2])).toBe(true);
  });

  it('gives every property owners whose shares add up to one', () => {
    const sums = new Map<string, number>();
    for (const l of a.sim_property_shares) {
      const [, cad, , , num, den] = l.trimEnd().split('\t');
      sums.set(cad, (sums.get(cad) ?? 0) + Number(num) / Number(den));
    }
    expect(sums.size).toBe(a.sim_properties.length);
    for (const s of sums.values()) expect(s).toBeCloseTo(1);
  });
});
