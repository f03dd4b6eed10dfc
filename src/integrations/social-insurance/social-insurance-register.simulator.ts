import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FaultSwitch } from '../sim/fault-injection';
import { activeInMonth, monthBounds, monthsOf, type MonthRange } from '../sim/months';
import type {
  SocialInsuranceBenefit,
  SocialInsuranceKind,
  SocialInsuranceRegister,
  SocialInsuranceStatement,
} from './social-insurance-register.port';
import { SIMULATOR_DB } from '../sim/simulator-db';

interface Row {
  kind: string;
  monthly_cents: number;
  valid_from: string;
  valid_to: string | null;
}

/** VSAA simulated on sim_social_insurance_benefits: a benefit pays its full monthly amount in every month it touches. */
@Injectable()
export class SocialInsuranceRegisterSimulator implements SocialInsuranceRegister {
  readonly faults = new FaultSwitch('social-insurance');

  constructor(@Inject(SIMULATOR_DB) private readonly db: DataSource) {}

  async getPayments(personalCode: string, period: MonthRange): Promise<SocialInsuranceStatement> {
    const months = monthsOf(period);
    return this.faults.call(async () => {
      const rows: Row[] = await this.db.query(
        `SELECT kind, monthly_cents, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
           FROM sim_social_insurance_benefits
          WHERE personal_code = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $2)
          ORDER BY valid_from, kind, ref`,
        [personalCode, `${months[0]}-01`, monthBounds(months[months.length - 1]).last],
      );
      const benefits: SocialInsuranceBenefit[] = rows.map((r) => ({
        kind: r.kind as SocialInsuranceKind,
        monthlyCents: r.monthly_cents,
        validFrom: r.valid_from,
        validTo: r.valid_to,
      }));
      const payments = months.flatMap((month) =>
        benefits
          .filter((b) => activeInMonth(b.validFrom, b.validTo, month))
          .map((b) => ({ month, kind: b.kind, amountCents: b.monthlyCents })),
      );
      return {
        benefits,
        payments,
        totalCents: payments.reduce((s, p) => s + p.amountCents, 0),
      };
    });
  }
}
