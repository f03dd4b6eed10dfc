/**
 * Port to the State Address Register (Valsts adrešu reģistrs, VZD). Implemented by
 * AddressRegisterGateway (real) and AddressRegisterSimulator (in-repo, PostgreSQL).
 */
export const ADDRESS_REGISTER = Symbol('ADDRESS_REGISTER');

export type AddressKind = 'building' | 'house' | 'apartment';

export interface RegisterAddress {
  /** 9-digit address code. */
  code: string;
  kind: AddressKind;
  parentCode: string | null;
  municipality: string;
  territory: string;
  street: string | null;
  house: string;
  apartment: string | null;
  postcode: string;
  fullText: string;
}

export interface AddressQuery {
  /** Free text, diacritics ignored: "talsu 4-12 tukums". */
  text: string;
  municipality?: string;
  limit?: number;
}

export interface AddressRegister {
  getByCode(code: string): Promise<RegisterAddress | null>;
  search(query: AddressQuery): Promise<RegisterAddress[]>;
}
