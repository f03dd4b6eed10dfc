import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FaultSwitch } from '../sim/fault-injection';
import { requireDate } from '../sim/months';
import type { EmploymentRegister, UnemploymentStatus } from './employment-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

/** NVA simulated on sim_unemployment_spells. */
@Injectable()
export class EmploymentRegisterSimulator implements EmploymentRegister {
  readonly faults = new FaultSwitch('employment');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async getUnemploymentStatus(personalCode: string, onDate: string): Promise<UnemploymentStatus> {
    requireDate('onDate', onDate);
    return this.faults.call(async () => {
      const rows: { from: string; to: string | null }[] = await this.db.query(
        `SELECT to_char(registered_from, 'YYYY-MM-DD') AS "from", to_char(registered_to, 'YYYY-MM-DD') AS "to"
           FROM sim_unemployment_spells WHERE personal_code = $1 AND registered_from <= $2
          ORDER BY registered_from DESC, ref`,
        [personalCode, onDate],
      );
      const current = rows.find((r) => r.to === null || r.to >= onDate);
      return { unemployed: !!current, since: current?.from ?? null, history: rows };
    });
  }
}
