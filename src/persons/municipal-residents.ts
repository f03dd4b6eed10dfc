import { Inject, Injectable } from '@nestjs/common';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../integrations/address/address-register.port';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../integrations/population/population-register.port';
import { TenantDb } from '../platform/tenancy/tenant-db';

/**
 * Whose data a municipality's staff may see: its own residents (declared residence at an address of
 * its register territory, residence_territories, set by the platform operator) and persons who are
 * party to one of its cases (applicant of a case, or named in a residence declaration or annulment).
 * Anyone else is another municipality's resident: a Greek municipality does not browse Latvians.
 */
@Injectable()
export class MunicipalResidents {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(POPULATION_REGISTER) private readonly population: PopulationRegister,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
  ) {}

  /** Register errors propagate (the caller decides how to degrade). */
  async mayShow(municipalityId: string, personalCode: string): Promise<boolean> {
    const [row] = await this.tenantDb.run(
      municipalityId,
      (em) =>
        em.query(
          `SELECT (SELECT register_municipality FROM residence_territories WHERE municipality_id = $1) AS territory,
                (EXISTS (SELECT 1 FROM cases WHERE applicant_ref = $2)
                 OR EXISTS (SELECT 1 FROM cases c JOIN accounts a ON a.id::text = c.applicant_ref WHERE a.personal_code = $2)
                 OR EXISTS (SELECT 1 FROM residence_declarations WHERE applicant_code = $2 OR person_codes ? $2)
                 OR EXISTS (SELECT 1 FROM residence_annulments WHERE person_code = $2)) AS party`,
          [municipalityId, personalCode],
        ) as Promise<{ territory: string | null; party: boolean }[]>,
    );
    if (row.party) return true;
    if (!row.territory) return false;
    const residence = await this.population.getDeclaredResidence(personalCode);
    if (!residence) return false;
    return (await this.addresses.getByCode(residence.addressCode))?.municipality === row.territory;
  }
}
