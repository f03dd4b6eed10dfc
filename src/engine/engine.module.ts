import { Global, Module, type Provider } from '@nestjs/common';
import { PROCESSES } from '../../workflows';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ENGINE_PROBE } from '../platform/health/engine.health';
import { ENGINE_SCHEMA } from '../platform/database/roles';
import { ProcessRegistry } from '../processes/process-registry';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { DbosEngine } from './dbos/dbos-engine';
import { TemporalEngine } from './temporal/temporal-engine';
import { PROCESS_ENGINE, type ProcessEngine } from './process-engine';

function createEngine(config: AppConfig, registry: ProcessRegistry, clock: Clock): ProcessEngine {
  switch (config.ENGINE) {
    case 'dbos':
      return new DbosEngine({
        appName: 'civitas',
        // The engine role: DBOS's system schema only, no DDL (issue 12 M6).
        systemDatabaseUrl: config.DATABASE_ENGINE_URL,
        systemDatabaseSchemaName: ENGINE_SCHEMA,
        applicationVersion: config.ENGINE_APP_VERSION,
        executorId: config.ENGINE_EXECUTOR_ID,
        systemDatabasePoolSize: config.DATABASE_ENGINE_POOL_SIZE ?? config.DATABASE_POOL_SIZE,
        processes: PROCESSES,
        // Built by the registry when the engine launches: every provider (and port) exists by then.
        activities: () => {
          registry.assertListed(PROCESSES);
          return registry.activities();
        },
        clock,
        logLevel:
          config.LOG_LEVEL === 'silent'
            ? 'silent'
            : config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace'
              ? 'debug'
              : 'warn',
      });
    case 'temporal':
      // The app is only a Temporal client; src/worker.ts runs the registry's activities and the bundle.
      return new TemporalEngine({
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        processes: PROCESSES,
      });
  }
}

const providers: Provider[] = [
  {
    provide: PROCESS_ENGINE,
    inject: [APP_CONFIG, ProcessRegistry, CLOCK],
    useFactory: createEngine,
  },
  // The engine is launched by its own lifecycle hooks (onModuleInit / onModuleDestroy).
  { provide: ENGINE_PROBE, useExisting: PROCESS_ENGINE },
];

/** Chooses the engine by config ENGINE; exports PROCESS_ENGINE and ENGINE_PROBE (for /health). */
@Global()
@Module({
  providers,
  exports: [PROCESS_ENGINE, ENGINE_PROBE],
})
export class EngineModule {}
