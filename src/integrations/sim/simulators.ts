import { Injectable } from '@nestjs/common';
import { AddressRegisterSimulator } from '../address/address-register.simulator';
import { AssistanceRegisterSimulator } from '../assistance/assistance-register.simulator';
import { DisabilityRegisterSimulator } from '../disability/disability-register.simulator';
import { EmploymentRegisterSimulator } from '../employment/employment-register.simulator';
import { IncomeRegisterSimulator } from '../income/income-register.simulator';
import { PopulationRegisterSimulator } from '../population/population-register.simulator';
import { PropertyRegisterSimulator } from '../property/property-register.simulator';
import { SocialInsuranceRegisterSimulator } from '../social-insurance/social-insurance-register.simulator';
import { VehicleRegisterSimulator } from '../vehicles/vehicle-register.simulator';
import type { FaultSwitch } from './fault-injection';

export const SIMULATOR_NAMES = [
  'population',
  'address',
  'property',
  'social-insurance',
  'income',
  'employment',
  'disability',
  'vehicles',
  'assistance',
] as const;
export type SimulatorName = (typeof SIMULATOR_NAMES)[number];

/** The failure switches of all register simulators, by name (for tests and the dev endpoint). */
@Injectable()
export class Simulators {
  private readonly switches: Record<SimulatorName, FaultSwitch>;

  constructor(
    population: PopulationRegisterSimulator,
    address: AddressRegisterSimulator,
    property: PropertyRegisterSimulator,
    socialInsurance: SocialInsuranceRegisterSimulator,
    income: IncomeRegisterSimulator,
    employment: EmploymentRegisterSimulator,
    disability: DisabilityRegisterSimulator,
    vehicles: VehicleRegisterSimulator,
    assistance: AssistanceRegisterSimulator,
  ) {
    this.switches = {
      population: population.faults,
      address: address.faults,
      property: property.faults,
      'social-insurance': socialInsurance.faults,
      income: income.faults,
      employment: employment.faults,
      disability: disability.faults,
      vehicles: vehicles.faults,
      assistance: assistance.faults,
    };
  }

  faults(name: SimulatorName): FaultSwitch {
    return this.switches[name];
  }

  resetAll(): void {
    for (const n of SIMULATOR_NAMES) this.faults(n).reset();
  }
}
