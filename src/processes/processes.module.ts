import { Global, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, ModuleRef } from '@nestjs/core';
import { CORE_ACTIVITIES } from '../../activities';
import { CORE_FORMS } from '../cases/forms';
import { isProcessModule, type ProcessModule } from './process-module';
import { ProcessDefaults } from './process-defaults';
import { ProcessRegistry } from './process-registry';

/** The manifests among the application's providers (each process module lists `provideProcess(manifest)`). */
const discover = (discovery: DiscoveryService) => (): ProcessModule[] =>
  discovery
    .getProviders()
    .map((w) => w.instance as unknown)
    .filter(isProcessModule);

/**
 * The ProcessRegistry, for every module: Nest has no multi-providers, so the registry discovers the
 * process modules' manifest providers, and resolves activity ports from the whole application.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: ProcessRegistry,
      inject: [DiscoveryService, ModuleRef],
      useFactory: (discovery: DiscoveryService, moduleRef: ModuleRef) =>
        new ProcessRegistry(
          discover(discovery),
          (token) => moduleRef.get(token, { strict: false }),
          CORE_ACTIVITIES,
          CORE_FORMS,
        ),
    },
    ProcessDefaults,
  ],
  exports: [ProcessRegistry],
})
export class ProcessesModule {}
