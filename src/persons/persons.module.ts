import { Module } from '@nestjs/common';
import { MunicipalPersons } from './municipal-persons';
import { MunicipalResidents } from './municipal-residents';
import { LookupPurposeService } from './lookup-purpose.service';
import { AuditLogPersonDataAudit, PERSON_DATA_AUDIT } from './person-data-audit';
import { PersonDataReads } from './person-data-reads';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

/** Person search and cards. Needs RegistersModule (global) for the register ports. */
@Module({
  controllers: [PersonsController],
  providers: [
    PersonsService,
    PersonDataReads,
    LookupPurposeService,
    MunicipalPersons,
    MunicipalResidents,
    { provide: PERSON_DATA_AUDIT, useClass: AuditLogPersonDataAudit },
  ],
  exports: [PersonsService, PersonDataReads],
})
export class PersonsModule {}
