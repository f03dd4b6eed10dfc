import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { DisabilityRegister, DisabilityStatus } from './disability-register.port';

/** Real adapter to VDEĀVK. Transport is not implemented. */
export class DisabilityRegisterGateway implements DisabilityRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  getDisability(_personalCode: string, _onDate: string): Promise<DisabilityStatus> {
    return Promise.reject(gatewayNotAvailable('disability', 'getDisability', this.cfg));
  }
}
