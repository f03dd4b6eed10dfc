import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FaultSwitch } from '../sim/fault-injection';
import { activeInMonth, monthBounds, monthsOf, type MonthRange } from '../sim/months';
import type { IncomeRegister, IncomeStatement } from './income-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

interface Row {
  employer_code: string;
  employer_name: string;
  gross_cents: number;
  tax_cents: number;
  valid_from: string;
  valid_to: string | null;
}

/** VID simulated on sim_employment_income: each employment reports its monthly pay in every month it touches. */
@Injectable()
export class IncomeRegisterSimulator implements IncomeRegister {
  readonly faults = new FaultSwitch('income');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async getEmploymentIncome(personalCode: string, period: MonthRange): Promise<IncomeStatement> {
    const months = monthsOf(period);
    return this.faults.call(async () => {
      const rows: Row[] = await this.db.query(
        `SELECT employer_code, employer_name, gross_cents, tax_cents,
                to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
           FROM sim_employment_income
          WHERE personal_code = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $2)
          ORDER BY valid_from, ref`,
        [personalCode, `${months[0]}-01`, monthBounds(months[months.length - 1]).last],
      );
      const lines = months.flatMap((month) =>
        rows
          .filter((r) => activeInMonth(r.valid_from, r.valid_to, month))
          .map((r) => ({
            month,
            employerCode: r.employer_code,
            employerName: r.employer_name,
            grossCents: r.gross_cents,
            taxCents: r.tax_cents,
            netCents: r.gross_cents - r.tax_cents,
          })),
      );
      return {
        employers: rows.map((r) => ({
          employerCode: r.employer_code,
          employerName: r.employer_name,
          from: r.valid_from,
          to: r.valid_to,
        })),
        months: lines,
        totalGrossCents: lines.reduce((s, l) => s + l.grossCents, 0),
        totalNetCents: lines.reduce((s, l) => s + l.netCents, 0),
      };
    });
  }
}
