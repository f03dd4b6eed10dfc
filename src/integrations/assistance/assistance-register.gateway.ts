import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type {
  AssistanceRecord,
  AssistanceRegister,
  AssistanceReport,
} from './assistance-register.port';

/** Real adapter to SPOLIS. Transport is not implemented. */
export class AssistanceRegisterGateway implements AssistanceRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  listForPerson(_personalCode: string, _from: string, _to: string): Promise<AssistanceRecord[]> {
    return Promise.reject(gatewayNotAvailable('assistance', 'listForPerson', this.cfg));
  }
  report(_entry: AssistanceReport): Promise<AssistanceRecord> {
    return Promise.reject(gatewayNotAvailable('assistance', 'report', this.cfg));
  }
}
