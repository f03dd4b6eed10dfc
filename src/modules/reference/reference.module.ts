import { Module } from '@nestjs/common';
import { ReferenceRegistrySimulator } from '../../../activities/reference/registry.port';
import { provideProcess } from '../../processes/process-module';
import { REFERENCE_REGISTRY, referenceProcess } from './reference.process';

/** The reference process: its manifest and its (simulated) register. */
@Module({
  providers: [
    provideProcess(referenceProcess),
    { provide: REFERENCE_REGISTRY, useClass: ReferenceRegistrySimulator },
  ],
  exports: [REFERENCE_REGISTRY],
})
export class ReferenceModule {}
