import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FaultSwitch } from '../sim/fault-injection';
import type { PropertyRegister, RegisterProperty } from './property-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

interface PropertyRow {
  cadastral_number: string;
  address_code: string;
  kind: 'apartment' | 'house';
  land_register_folio: string;
  owners: {
    ownerCode: string;
    ownerName: string;
    shareNumerator: number;
    shareDenominator: number;
  }[];
}

const SELECT = `SELECT p.cadastral_number, p.address_code, p.kind, p.land_register_folio,
  COALESCE((SELECT json_agg(json_build_object('ownerCode', s.owner_code, 'ownerName', s.owner_name,
      'shareNumerator', s.share_numerator, 'shareDenominator', s.share_denominator) ORDER BY s.id)
    FROM sim_property_shares s WHERE s.cadastral_number = p.cadastral_number), '[]'::json) AS owners
  FROM sim_properties p`;

const toProperty = (r: PropertyRow): RegisterProperty => ({
  cadastralNumber: r.cadastral_number,
  addressCode: r.address_code,
  kind: r.kind,
  landRegisterFolio: r.land_register_folio,
  owners: r.owners,
});

/** The property registers simulated on sim_properties and sim_property_shares. */
@Injectable()
export class PropertyRegisterSimulator implements PropertyRegister {
  readonly faults = new FaultSwitch('property');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  getByAddress(addressCode: string): Promise<RegisterProperty[]> {
    return this.faults.call(async () => {
      const rows: PropertyRow[] = await this.db.query(
        `${SELECT} WHERE p.address_code = $1 ORDER BY p.cadastral_number`,
        [addressCode],
      );
      return rows.map(toProperty);
    });
  }

  getByCadastralNumber(cadastralNumber: string): Promise<RegisterProperty | null> {
    return this.faults.call(async () => {
      const rows: PropertyRow[] = await this.db.query(`${SELECT} WHERE p.cadastral_number = $1`, [
        cadastralNumber,
      ]);
      return rows[0] ? toProperty(rows[0]) : null;
    });
  }

  listOwnedBy(ownerCode: string): Promise<RegisterProperty[]> {
    return this.faults.call(async () => {
      const rows: PropertyRow[] = await this.db.query(
        `${SELECT} WHERE p.cadastral_number IN (SELECT cadastral_number FROM sim_property_shares WHERE owner_code = $1)
         ORDER BY p.cadastral_number`,
        [ownerCode],
      );
      return rows.map(toProperty);
    });
  }
}
