import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  formatPersonalCode,
  personalCodeCheckDigit,
  personalCodeHasNoCheckDigit,
} from '../../src/persons/personal-code';
import { normalizeForSearch } from '../../src/persons/name-normalize';

/** A valid old-format personal code for a birth date, with a random serial (unique enough per run). */
export function personalCodeFor(birthDate: string): string {
  const [y, m, d] = birthDate.split('-');
  const century = Number(y) >= 2000 ? '2' : '1';
  for (;;) {
    const first10 = `${d}${m}${y.slice(2)}${century}${String(randomInt(0, 1000)).padStart(3, '0')}`;
    if (personalCodeHasNoCheckDigit(first10)) continue;
    return formatPersonalCode(`${first10}${personalCodeCheckDigit(first10)}`);
  }
}

const addressCode = (): string => String(randomInt(100_000_000, 999_999_999));

/**
 * Register residents: rows of the register simulators (national tables, not tenant-scoped) as the
 * register seed writes them (src/integrations/sim: names with their search forms), for one scenario.
 * The app itself never adds a person to a national register; the seed and these do.
 */
export class SimFixtures {
  constructor(private readonly owner: DataSource) {}

  /** A person born on `birthDate`; a made-up valid personal code unless `code` is given (then kept if already there). */
  async person(
    birthDate: string,
    givenName = 'Anna',
    familyName = 'Bērziņa',
    opts: { code?: string; sex?: 'M' | 'F' } = {},
  ): Promise<string> {
    for (;;) {
      const code = opts.code ?? personalCodeFor(birthDate);
      const rows: unknown[] = await this.owner.query(
        `INSERT INTO sim_persons (personal_code, given_name, family_name, given_name_norm, family_name_norm, sex, birth_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING personal_code`,
        [
          code,
          givenName,
          familyName,
          normalizeForSearch(givenName),
          normalizeForSearch(familyName),
          opts.sex ?? 'F',
          birthDate,
        ],
      );
      if (rows.length || opts.code) return code;
    }
  }

  async parentOf(parent: string, child: string): Promise<void> {
    await this.owner.query(
      `INSERT INTO sim_family_links (personal_code, related_code, kind) VALUES ($1, $2, 'parent')`,
      [parent, child],
    );
  }

  /** An apartment, optionally with owners (one share each). */
  async apartment(
    owners: { code: string; name: string }[] = [],
    municipality = 'Tukuma novads',
    street = 'Ūdens iela',
  ): Promise<{ code: string; text: string }> {
    const code = addressCode();
    const text = `${street} ${randomInt(1, 200)} - ${randomInt(1, 90)}, Tukums, ${municipality}, LV-3101`;
    await this.owner.query(
      `INSERT INTO sim_addresses (code, kind, parent_code, municipality, territory, street, house, apartment, postcode, full_text, search_text)
       VALUES ($1, 'apartment', NULL, $4, 'Tukums', $5, '7', '3', 'LV-3101', $2, $3)`,
      [code, text, normalizeForSearch(text), municipality, street],
    );
    if (owners.length) {
      const cadastral = String(randomInt(10_000_000, 99_999_999)) + String(randomInt(100, 999));
      await this.owner.query(
        `INSERT INTO sim_properties (cadastral_number, address_code, kind, land_register_folio) VALUES ($1, $2, 'apartment', 'Tukuma zemesgrāmata Nr. 1')`,
        [cadastral, code],
      );
      for (const o of owners) {
        await this.owner.query(
          `INSERT INTO sim_property_shares (cadastral_number, owner_code, owner_name, share_numerator, share_denominator) VALUES ($1, $2, $3, 1, $4)`,
          [cadastral, o.code, o.name, owners.length],
        );
      }
    }
    return { code, text };
  }

  async declaredAt(
    personCode: string,
  ): Promise<
    { address_code: string; status: string; valid_from: string; annulled_from: string | null }[]
  > {
    return this.owner.query(
      `SELECT address_code, status, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(annulled_from, 'YYYY-MM-DD') AS annulled_from
       FROM sim_residences WHERE personal_code = $1 ORDER BY id`,
      [personCode],
    );
  }

  /** A declared residence from an earlier date (as if declared before). */
  async residence(
    personCode: string,
    address: string,
    validFrom: string,
    basis = 'lease',
  ): Promise<void> {
    await this.owner.query(
      `INSERT INTO sim_residences (personal_code, address_code, valid_from, status, basis) VALUES ($1, $2, $3, 'active', $4)`,
      [personCode, address, validFrom, basis],
    );
  }
}
