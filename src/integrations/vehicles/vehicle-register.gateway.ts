import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type { RegisteredVehicle, VehicleRegister } from './vehicle-register.port';

/** Real adapter to the CSDD vehicle register. Transport is not implemented. */
export class VehicleRegisterGateway implements VehicleRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  listOwnedBy(_personalCode: string, _onDate: string): Promise<RegisteredVehicle[]> {
    return Promise.reject(gatewayNotAvailable('vehicles', 'listOwnedBy', this.cfg));
  }
}
