import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { MonthRange } from '../sim/months';
import type {
  SocialInsuranceRegister,
  SocialInsuranceStatement,
} from './social-insurance-register.port';

/** Real adapter to VSAA through the state gateway. Transport is not implemented: see gatewayNotAvailable. */
export class SocialInsuranceRegisterGateway implements SocialInsuranceRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  getPayments(_personalCode: string, _period: MonthRange): Promise<SocialInsuranceStatement> {
    return Promise.reject(gatewayNotAvailable('social-insurance', 'getPayments', this.cfg));
  }
}
