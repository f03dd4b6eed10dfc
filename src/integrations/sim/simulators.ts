import { Injectable } from '@nestjs/common';
import { AddressRegisterSimulator } from '../address/address-register.simulator';
import { PopulationRegisterSimulator } from '../population/population-register.simulator';
import { PropertyRegisterSimulator } from '../property/property-register.simulator';
import type { FaultSwitch } from './fault-injection';

export const SIMULATOR_NAMES = ['population', 'address', 'property'] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

/** The failure switches of all register simulators, by name (for tests and the dev endpoint). */
@Injectable()
export class Simulators {
  constructor(
    private readonly population: PopulationRegisterSimulator,
    private readonly address: AddressRegisterSimulator,
    private readonly property: PropertyRegisterSimulator,
  ) {}

  faults(name: SimulatorName): FaultSwitch {
    switch (name) {
      case 'population':
        return this.population.faults;
      case 'address':
        return this.address.faults;
      case 'property':
        return this.property.faults;
    }
  }

  resetAll(): void {
    for (const n of SIMULATOR_NAMES) this.faults(n).reset();
  }
}
