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
import { RegisterGatewayConfig } from './sim/gateway-config';
import { SimulatorsController } from './sim/simulators.controller';
import { Simulators } from './sim/simulators';

/**
 * The state register ports (population, address, property). REGISTERS=simulator binds the
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
          PopulationRegisterSimulator,
          AddressRegisterSimulator,
          PropertyRegisterSimulator,
          Simulators,
          { provide: POPULATION_REGISTER, useExisting: PopulationRegisterSimulator },
          { provide: ADDRESS_REGISTER, useExisting: AddressRegisterSimulator },
          { provide: PROPERTY_REGISTER, useExisting: PropertyRegisterSimulator },
        ]
      : [
          { provide: POPULATION_REGISTER, useFactory: () => new PopulationRegisterGateway(gw) },
          { provide: ADDRESS_REGISTER, useFactory: () => new AddressRegisterGateway(gw) },
          { provide: PROPERTY_REGISTER, useFactory: () => new PropertyRegisterGateway(gw) },
        ];
    return {
      module: RegistersModule,
      providers,
      controllers: simulated && config.NODE_ENV !== 'production' ? [SimulatorsController] : [],
      exports: [
        POPULATION_REGISTER,
        ADDRESS_REGISTER,
        PROPERTY_REGISTER,
        ...(simulated ? [Simulators] : []),
      ],
    };
  }
}
