import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FaultSwitch } from '../sim/fault-injection';
import { requireDate } from '../sim/months';
import type { RegisteredVehicle, VehicleRegister } from './vehicle-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

/** CSDD simulated on sim_vehicles. */
@Injectable()
export class VehicleRegisterSimulator implements VehicleRegister {
  readonly faults = new FaultSwitch('vehicles');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async listOwnedBy(personalCode: string, onDate: string): Promise<RegisteredVehicle[]> {
    requireDate('onDate', onDate);
    return this.faults.call(async () => {
      const rows: (Omit<
        RegisteredVehicle,
        'registrationNumber' | 'firstRegisteredYear' | 'ownedFrom'
      > & {
        registration_number: string;
        first_registered_year: number;
        owned_from: string;
      })[] = await this.db.query(
        `SELECT registration_number, category, make, model, first_registered_year, to_char(owned_from, 'YYYY-MM-DD') AS owned_from
           FROM sim_vehicles WHERE owner_code = $1 AND owned_from <= $2 AND (owned_to IS NULL OR owned_to >= $2)
          ORDER BY owned_from, registration_number`,
        [personalCode, onDate],
      );
      return rows.map((r) => ({
        registrationNumber: r.registration_number,
        category: r.category,
        make: r.make,
        model: r.model,
        firstRegisteredYear: r.first_registered_year,
        ownedFrom: r.owned_from,
      }));
    });
  }
}
