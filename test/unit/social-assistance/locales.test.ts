import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HOUSING_COST_KINDS,
  INCOME_TYPES,
  MEMBER_ROLES,
} from '../../../src/modules/social-assistance/calculation/types';
import { SOCIAL_ASSISTANCE_PARAMETERS } from '../../../src/modules/social-assistance/social-assistance.parameters';
import type { CooperationDecision } from '../../../workflows/social-assistance/events';
import { run, adult, child, wage } from './support';

const dir = join(__dirname, '../../../src/modules/social-assistance/locales');
const load = (lang: string) =>
  JSON.parse(readFileSync(join(dir, lang, 'social-assistance.json'), 'utf8')) as Record<
    string,
    unknown
  >;
const has = (tree: Record<string, unknown>, key: string): boolean => {
  let node: unknown = tree;
  for (const p of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(p in node)) return false;
    node = (node as Record<string, unknown>)[p];
  }
  return typeof node === 'string' && node.length > 0;
};

describe('social-assistance labels and parameter notes', () => {
  it('labels every breakdown line, income type, cost kind and role in lv, en and el', () => {
    const r = run({
      asOf: '2026-02-01',
      members: [adult('a'), child('c')],
      incomes: [wage('a', 100_00)],
      housingCosts: HOUSING_COST_KINDS.map((kind) => ({ kind, amountCents: 1_00 })),
    });
    const keys = [
      ...r.lines.map((l) => l.labelKey.replace('social-assistance:', '')),
      ...INCOME_TYPES.flatMap((t) => [`incomeType.${t}`, `incomeTypeName.${t}`]),
      ...HOUSING_COST_KINDS.map((k) => `costKind.${k}`),
      ...MEMBER_ROLES.map((x) => `role.${x}`),
      'status.needy',
      'status.low-income',
      'status.none',
    ];
    for (const lang of ['lv', 'en', 'el'])
      expect({ lang, missing: keys.filter((k) => !has(load(lang), k)) }).toEqual({
        lang,
        missing: [],
      });
  });

  it('labels the co-operation agreement outcome the case timeline shows, in lv, en and el', () => {
    // The timeline shows `data.outcome` as workspace:outcome.<code> (CooperationDecision['outcome']).
    const outcomes: CooperationDecision['outcome'][] = ['agreed', 'declined'];
    for (const lang of ['lv', 'en', 'el']) {
      const tree = JSON.parse(readFileSync(join(dir, lang, 'workspace.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect({ lang, missing: outcomes.filter((o) => !has(tree, `outcome.${o}`)) }).toEqual({
        lang,
        missing: [],
      });
    }
  });

  it('gives every parameter a source, and says "Unverified" where DOMAIN.md does', () => {
    for (const p of SOCIAL_ASSISTANCE_PARAMETERS)
      expect({ key: p.key, note: p.note.length > 10 }).toEqual({ key: p.key, note: true });
    const unverified = (key: string) =>
      SOCIAL_ASSISTANCE_PARAMETERS.filter((p) => p.key === key).some((p) =>
        /unverified/i.test(p.note),
      );
    expect(unverified('social-assistance.housing.k.other')).toBe(true);
    expect(unverified('social-assistance.housing.norm.heating.first')).toBe(true);
    expect(unverified('social-assistance.rounding.housing-benefit')).toBe(true);
    expect(unverified('social-assistance.status.period-months')).toBe(true);
    const gmi2026 = SOCIAL_ASSISTANCE_PARAMETERS.find(
      (p) => p.key === 'social-assistance.gmi.first' && p.validFrom === '2026-01-01',
    );
    expect(gmi2026?.value).toBe('187');
    expect(/unverified/i.test(gmi2026?.note ?? '')).toBe(false);
  });
});
