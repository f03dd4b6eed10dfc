import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../../platform/errors/domain-error';
import { FaultSwitch } from '../sim/fault-injection';
import { requireDate } from '../sim/months';
import type {
  AssistanceRecord,
  AssistanceRegister,
  AssistanceReport,
} from './assistance-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

const COLS = `municipality, benefit, status, to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn",
  to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", monthly_cents AS "monthlyCents"`;

const BENEFITS = ['gmi', 'housing', 'needy_status', 'low_income_status', 'emergency'];
const STATUSES = ['applied', 'granted', 'refused'];

/** SPOLIS simulated on sim_assistance_records. */
@Injectable()
export class AssistanceRegisterSimulator implements AssistanceRegister {
  readonly faults = new FaultSwitch('assistance');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async listForPerson(personalCode: string, from: string, to: string): Promise<AssistanceRecord[]> {
    requireDate('from', from);
    requireDate('to', to);
    return this.faults.call(
      () =>
        this.db.query(
          `SELECT ${COLS} FROM sim_assistance_records
            WHERE personal_code = $1
              AND COALESCE(period_from, decided_on) <= $3 AND COALESCE(period_to, period_from, decided_on) >= $2
            ORDER BY decided_on DESC, ref`,
          [personalCode, from, to],
        ) as Promise<AssistanceRecord[]>,
    );
  }

  async report(entry: AssistanceReport): Promise<AssistanceRecord> {
    requireDate('decidedOn', entry.decidedOn);
    const bad = [
      ...(BENEFITS.includes(entry.benefit) ? [] : ['benefit']),
      ...(STATUSES.includes(entry.status) ? [] : ['status']),
      ...(entry.requestRef ? [] : ['requestRef']),
    ];
    if (bad.length)
      throw DomainError.validation(
        bad.map((field) => ({ field, message: 'registers:assistance.invalid' })),
      );
    return this.faults.call(async () => {
      await this.db.query(
        `INSERT INTO sim_assistance_records (ref, personal_code, municipality, benefit, status, decided_on, period_from, period_to, monthly_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ref) DO NOTHING`,
        [
          `report:${entry.requestRef}`,
          entry.personalCode,
          entry.municipality,
          entry.benefit,
          entry.status,
          entry.decidedOn,
          entry.periodFrom,
          entry.periodTo,
          entry.monthlyCents,
        ],
      );
      const rows: AssistanceRecord[] = await this.db.query(
        `SELECT ${COLS} FROM sim_assistance_records WHERE ref = $1`,
        [`report:${entry.requestRef}`],
      );
      return rows[0];
    });
  }
}
