import type { RegisterGatewayConfig } from '../sim/gateway-config';
import { gatewayNotAvailable } from '../sim/gateway-config';
import type {
  AnnulResidenceRequest,
  DeclaredResidence,
  FamilyLink,
  NameQuery,
  PopulationRegister,
  RegisterPerson,
  RegisterResidenceRequest,
} from './population-register.port';

/** Real adapter to the population register. Transport is not implemented: see gatewayNotAvailable. */
export class PopulationRegisterGateway implements PopulationRegister {
  constructor(private readonly cfg: RegisterGatewayConfig) {}

  private fail(op: string): Promise<never> {
    return Promise.reject(gatewayNotAvailable('population', op, this.cfg));
  }

  getPerson(_personalCode: string): Promise<RegisterPerson | null> {
    return this.fail('getPerson');
  }
  searchByName(_query: NameQuery): Promise<RegisterPerson[]> {
    return this.fail('searchByName');
  }
  getFamily(_personalCode: string): Promise<FamilyLink[]> {
    return this.fail('getFamily');
  }
  getDeclaredResidence(_personalCode: string): Promise<DeclaredResidence | null> {
    return this.fail('getDeclaredResidence');
  }
  getResidenceHistory(_personalCode: string): Promise<DeclaredResidence[]> {
    return this.fail('getResidenceHistory');
  }
  listDeclaredAt(_addressCode: string): Promise<RegisterPerson[]> {
    return this.fail('listDeclaredAt');
  }
  registerResidence(_req: RegisterResidenceRequest): Promise<DeclaredResidence> {
    return this.fail('registerResidence');
  }
  annulResidence(_req: AnnulResidenceRequest): Promise<DeclaredResidence> {
    return this.fail('annulResidence');
  }
}
