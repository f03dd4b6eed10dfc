import { DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { ADDRESS_REGISTER } from './address/address-register.port';
import { AddressRegisterGateway } from './address/address-register.gateway';
import { AddressRegisterSimulator } from './address/address-register.simulator';
import { POPULATION_REGISTER } from './population/population-register.port';
import { PopulationRegisterGateway } from './population/population-register.gateway';
import { PopulationRegisterSimulator } from './population/population-register.simulator';
import { PROPERTY_REGISTER } from './property/property-register.port';
import { PropertyRegisterGateway } from './property/property-register.gateway';
import { PropertyRegisterSimulator } from './property/property-register.simulator';
import { ASSISTANCE_REGISTER } from './assistance/assistance-register.port';
import { AssistanceRegisterGateway } from './assistance/assistance-register.gateway';
import { AssistanceRegisterSimulator } from './assistance/assistance-register.simulator';
import { DISABILITY_REGISTER } from './disability/disability-register.port';
import { DisabilityRegisterGateway } from './disability/disability-register.gateway';
import { DisabilityRegisterSimulator } from './disability/disability-register.simulator';
import { EMPLOYMENT_REGISTER } from './employment/employment-register.port';
import { EmploymentRegisterGateway } from './employment/employment-register.gateway';
import { EmploymentRegisterSimulator } from './employment/employment-register.simulator';
import { INCOME_REGISTER } from './income/income-register.port';
import { IncomeRegisterGateway } from './income/income-register.gateway';
import { IncomeRegisterSimulator } from './income/income-register.simulator';
import { SOCIAL_INSURANCE_REGISTER } from './social-insurance/social-insurance-register.port';
import { SocialInsuranceRegisterGateway } from './social-insurance/social-insurance-register.gateway';
import { SocialInsuranceRegisterSimulator } from './social-insurance/social-insurance-register.simulator';
import { VEHICLE_REGISTER } from './vehicles/vehicle-register.port';
import { VehicleRegisterGateway } from './vehicles/vehicle-register.gateway';
import { VehicleRegisterSimulator } from './vehicles/vehicle-register.simulator';
import { RegisterGatewayConfig } from './sim/gateway-config';
import { SimulatorsController } from './sim/simulators.controller';
import { Simulators } from './sim/simulators';
import { SimulatorDbShutdown, simulatorDbProvider } from './sim/simulator-db';

/** Each register port: its token, its simulator and its real adapter. */
const REGISTERS = [
  [POPULATION_REGISTER, PopulationRegisterSimulator, PopulationRegisterGateway],
  [ADDRESS_REGISTER, AddressRegisterSimulator, AddressRegisterGateway],
  [PROPERTY_REGISTER, PropertyRegisterSimulator, PropertyRegisterGateway],
  [SOCIAL_INSURANCE_REGISTER, SocialInsuranceRegisterSimulator, SocialInsuranceRegisterGateway],
  [INCOME_REGISTER, IncomeRegisterSimulator, IncomeRegisterGateway],
  [EMPLOYMENT_REGISTER, EmploymentRegisterSimulator, EmploymentRegisterGateway],
  [DISABILITY_REGISTER, DisabilityRegisterSimulator, DisabilityRegisterGateway],
  [VEHICLE_REGISTER, VehicleRegisterSimulator, VehicleRegisterGateway],
  [ASSISTANCE_REGISTER, AssistanceRegisterSimulator, AssistanceRegisterGateway],
] as const;

/**
 * The state register ports (population, address, property; for the social-assistance means test
 * also social insurance, income, employment, disability, vehicles and the assistance register). REGISTERS=simulator binds the
 * in-repo simulators (and, outside production, the dev endpoint that flips their failure
 * switches); REGISTERS=gateway binds the real adapters.
 */
@Global()
@Module({})
export class RegistersModule {
  static forRoot(config: AppConfig): DynamicModule {
    const simulated = config.REGISTERS === 'simulator';
    const gw = RegisterGatewayConfig.from(config);
    const providers: Provider[] = simulated
      ? [
          simulatorDbProvider(config),
          SimulatorDbShutdown,
          ...REGISTERS.map(([, sim]) => sim),
          Simulators,
          ...REGISTERS.map(([token, sim]) => ({ provide: token, useExisting: sim })),
        ]
      : REGISTERS.map(([token, , Gateway]) => ({
          provide: token,
          useFactory: () => new Gateway(gw),
        }));
    return {
      module: RegistersModule,
      providers,
      controllers: simulated && config.NODE_ENV !== 'production' ? [SimulatorsController] : [],
      exports: [...REGISTERS.map(([token]) => token), ...(simulated ? [Simulators] : [])],
    };
  }
}
