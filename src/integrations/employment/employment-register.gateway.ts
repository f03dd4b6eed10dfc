import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { EmploymentRegister, UnemploymentStatus } from './employment-register.port';

/** Real adapter to the employment agency (NVA). Transport is not implemented. */
export class EmploymentRegisterGateway implements EmploymentRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  getUnemploymentStatus(_personalCode: string, _onDate: string): Promise<UnemploymentStatus> {
    return Promise.reject(gatewayNotAvailable('employment', 'getUnemploymentStatus', this.cfg));
  }
}
