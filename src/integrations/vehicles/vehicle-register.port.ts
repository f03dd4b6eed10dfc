/**
 * Port to the road traffic safety directorate's vehicle register (CSDD): the vehicles a person owns
 * on a date. Implemented by VehicleRegisterGateway and VehicleRegisterSimulator.
 */
export const VEHICLE_REGISTER = Symbol('VEHICLE_REGISTER');

export interface RegisteredVehicle {
  registrationNumber: string;
  category: 'passenger_car' | 'motorcycle' | 'truck' | 'tractor';
  make: string;
  model: string;
  firstRegisteredYear: number;
  ownedFrom: string;
}

export interface VehicleRegister {
  listOwnedBy(personalCode: string, onDate: string): Promise<RegisteredVehicle[]>;
}
