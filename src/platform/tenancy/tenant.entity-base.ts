import { Column, Index } from 'typeorm';

/** Base for every table with resident or case data: carries municipality_id, guarded by RLS. */
export abstract class TenantScoped {
  @Index()
  @Column('uuid')
  municipalityId: string;
}
