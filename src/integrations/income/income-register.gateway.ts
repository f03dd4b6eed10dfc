import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { MonthRange } from '../sim/months';
import type { IncomeRegister, IncomeStatement } from './income-register.port';

/** Real adapter to the tax service (VID). Transport is not implemented. */
export class IncomeRegisterGateway implements IncomeRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  getEmploymentIncome(_personalCode: string, _period: MonthRange): Promise<IncomeStatement> {
    return Promise.reject(gatewayNotAvailable('income', 'getEmploymentIncome', this.cfg));
  }
}
