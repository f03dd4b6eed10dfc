import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { AddressQuery, AddressRegister, RegisterAddress } from './address-register.port';

/** Real adapter to the State Address Register. Transport is not implemented. */
export class AddressRegisterGateway implements AddressRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  getByCode(_code: string): Promise<RegisterAddress | null> {
    return Promise.reject(gatewayNotAvailable('address', 'getByCode', this.cfg));
  }
  search(_query: AddressQuery): Promise<RegisterAddress[]> {
    return Promise.reject(gatewayNotAvailable('address', 'search', this.cfg));
  }
}
