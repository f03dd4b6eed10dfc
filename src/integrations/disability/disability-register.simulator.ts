import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FaultSwitch } from '../sim/fault-injection';
import { requireDate } from '../sim/months';
import type { DisabilityRegister, DisabilityStatus } from './disability-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

/** VDEĀVK simulated on sim_disabilities. */
@Injectable()
export class DisabilityRegisterSimulator implements DisabilityRegister {
  readonly faults = new FaultSwitch('disability');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async getDisability(personalCode: string, onDate: string): Promise<DisabilityStatus> {
    requireDate('onDate', onDate);
    return this.faults.call(async () => {
      const rows: {
        kind: 'adult' | 'child';
        disability_group: number | null;
        valid_from: string;
        valid_until: string | null;
      }[] = await this.db.query(
        `SELECT kind, disability_group, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until
           FROM sim_disabilities
          WHERE personal_code = $1 AND valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)
          ORDER BY disability_group NULLS LAST, valid_from DESC LIMIT 1`,
        [personalCode, onDate],
      );
      const r = rows[0];
      return r
        ? {
            disabled: true,
            kind: r.kind,
            group: r.disability_group,
            validFrom: r.valid_from,
            validUntil: r.valid_until,
          }
        : { disabled: false, kind: null, group: null, validFrom: null, validUntil: null };
    });
  }
}
