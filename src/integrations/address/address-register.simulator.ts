import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeForSearch } from '../../persons/name-normalize';
import { FaultSwitch } from '../sim/fault-injection';
import type {
  AddressKind,
  AddressQuery,
  AddressRegister,
  RegisterAddress,
} from './address-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

interface AddressRow {
  code: string;
  kind: string;
  parent_code: string | null;
  municipality: string;
  territory: string;
  street: string | null;
  house: string;
  apartment: string | null;
  postcode: string;
  full_text: string;
}

const COLS =
  'code, kind, parent_code, municipality, territory, street, house, apartment, postcode, full_text';

const toAddress = (r: AddressRow): RegisterAddress => ({
  code: r.code,
  kind: r.kind as AddressKind,
  parentCode: r.parent_code,
  municipality: r.municipality,
  territory: r.territory,
  street: r.street,
  house: r.house,
  apartment: r.apartment,
  postcode: r.postcode,
  fullText: r.full_text,
});

const likeAny = (t: string): string => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The State Address Register simulated on sim_addresses, behind a failure switch. */
@Injectable()
export class AddressRegisterSimulator implements AddressRegister {
  readonly faults = new FaultSwitch('address');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  getByCode(code: string): Promise<RegisterAddress | null> {
    return this.faults.call(async () => {
      const rows: AddressRow[] = await this.db.query(
        `SELECT ${COLS} FROM sim_addresses WHERE code = $1`,
        [code],
      );
      return rows[0] ? toAddress(rows[0]) : null;
    });
  }

  /** Every word must occur in the address (substring, diacritics ignored); pg_trgm GIN index. */
  search(query: AddressQuery): Promise<RegisterAddress[]> {
    return this.faults.call(async () => {
      const tokens = normalizeForSearch(query.text).split(' ').filter(Boolean).slice(0, 6);
      if (tokens.length === 0) return [];
      const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
      const params: string[] = tokens.map(likeAny);
      let where = params.map((_, i) => `search_text LIKE $${i + 1}`).join(' AND ');
      if (query.municipality) {
        params.push(query.municipality);
        where += ` AND municipality = $${params.length}`;
      }
      const rows: AddressRow[] = await this.db.query(
        `SELECT ${COLS} FROM sim_addresses WHERE ${where} ORDER BY length(search_text), search_text LIMIT ${limit}`,
        params,
      );
      return rows.map(toAddress);
    });
  }
}
