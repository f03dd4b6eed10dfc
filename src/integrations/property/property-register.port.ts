/**
 * Port to the property registers (Kadastrs and the Land Register, Zemesgrāmata): who owns a
 * dwelling and in what shares. Implemented by PropertyRegisterGateway (real) and
 * PropertyRegisterSimulator (in-repo, PostgreSQL).
 */
export const PROPERTY_REGISTER = Symbol('PROPERTY_REGISTER');

export interface PropertyOwner {
  /** Personal code of a natural person or registration number of a legal person. */
  ownerCode: string;
  ownerName: string;
  shareNumerator: number;
  shareDenominator: number;
}

export interface RegisterProperty {
  cadastralNumber: string;
  addressCode: string;
  kind: 'apartment' | 'house';
  landRegisterFolio: string;
  owners: PropertyOwner[];
}

export interface PropertyRegister {
  /** Properties at an address (an apartment, or a house with its land). */
  getByAddress(addressCode: string): Promise<RegisterProperty[]>;
  getByCadastralNumber(cadastralNumber: string): Promise<RegisterProperty | null>;
  /** Properties in which the person or company holds a share. */
  listOwnedBy(ownerCode: string): Promise<RegisterProperty[]>;
}
