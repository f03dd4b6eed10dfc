import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { PropertyRegister, RegisterProperty } from './property-register.port';

/** Real adapter to the property registers. Transport is not implemented. */
export class PropertyRegisterGateway implements PropertyRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  getByAddress(_addressCode: string): Promise<RegisterProperty[]> {
    return Promise.reject(gatewayNotAvailable('property', 'getByAddress', this.cfg));
  }
  getByCadastralNumber(_cadastralNumber: string): Promise<RegisterProperty | null> {
    return Promise.reject(gatewayNotAvailable('property', 'getByCadastralNumber', this.cfg));
  }
  listOwnedBy(_ownerCode: string): Promise<RegisterProperty[]> {
    return Promise.reject(gatewayNotAvailable('property', 'listOwnedBy', this.cfg));
  }
}
