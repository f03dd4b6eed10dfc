import { Module } from '@nestjs/common';
import { MunicipalPersons } from './municipal-persons';
import { LogOnlyPersonDataAudit, PERSON_DATA_AUDIT } from './person-data-audit';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

/** Person search and cards. Needs RegistersModule (global) for the register ports. */
@Module({
  controllers: [PersonsController],
  providers: [
    PersonsService,
    MunicipalPersons,
    // TEMPORARY — FOR THE LEAD TO WIRE: bind PERSON_DATA_AUDIT to the real audit log.
    { provide: PERSON_DATA_AUDIT, useClass: LogOnlyPersonDataAudit },
  ],
  exports: [PersonsService],
})
export class PersonsModule {}
