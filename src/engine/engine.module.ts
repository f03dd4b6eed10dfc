import { Global, Module, type Provider } from '@nestjs/common';
import { createProcessActivities } from '../../activities';
import { ReferenceRegistrySimulator } from '../../activities/reference/registry.port';
import { PROCESSES } from '../../workflows';
import type { ActivityMap } from '../../workflows/kit/types';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AuditLogSink } from '../cases/case-file.ports';
import { AuditService } from '../platform/audit/audit.service';
import { ENGINE_PROBE } from '../platform/health/engine.health';
import { ENGINE_SCHEMA } from '../platform/database/roles';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { LateEngine, PROCESS_ACTIVITIES } from './activities';
import { CalendarModule } from '../deadlines/calendar/calendar.module';
import type { DeliveryActivities } from '../../activities/delivery';
import { DELIVERY_ACTIVITIES, DeliveryModule } from '../delivery/delivery.module';
import { CalendarService, workingDayDueDates } from '../deadlines/calendar/calendar.service';
import { DbosEngine } from './dbos/dbos-engine';
import { TemporalEngine } from './temporal/temporal-engine';
import { PROCESS_ENGINE, type ProcessEngine } from './process-engine';

export const REFERENCE_REGISTRY = Symbol('REFERENCE_REGISTRY');
/** The engine as activities reach it (signals between linked cases): bound once the engine is built. */
const LATE_ENGINE = Symbol('LATE_ENGINE');


function createEngine(config: AppConfig, activities: ActivityMap): ProcessEngine {
  switch (config.ENGINE) {
    case 'dbos':
      return new DbosEngine({
        appName: 'civitas',
        // The engine role: DBOS's system schema only, no DDL (issue 12 M6).
        systemDatabaseUrl: config.DATABASE_ENGINE_URL,
        systemDatabaseSchemaName: ENGINE_SCHEMA,
        applicationVersion: config.ENGINE_APP_VERSION,
        executorId: config.ENGINE_EXECUTOR_ID,
        systemDatabasePoolSize: config.DATABASE_POOL_SIZE,
        processes: PROCESSES,
        activities,
        logLevel:
          config.LOG_LEVEL === 'silent'
            ? 'silent'
            : config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace'
              ? 'debug'
              : 'warn',
      });
    case 'temporal':
      // The app is only a Temporal client; src/worker.ts runs PROCESS_ACTIVITIES and the bundle.
      return new TemporalEngine({
        address: config.TEMPORAL_ADDRESS,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        processes: PROCESSES,
      });
  }
}

const providers: Provider[] = [
  // The reference process's register is simulated; real registers come with their integrations.
  { provide: REFERENCE_REGISTRY, useClass: ReferenceRegistrySimulator },
  {
    provide: PROCESS_ACTIVITIES,
    inject: [TenantDb, REFERENCE_REGISTRY, CalendarService, AuditService, LATE_ENGINE, DELIVERY_ACTIVITIES],
    // Task due dates count working days of the municipality's calendar; refused completion
    // signals go to the audit log. Process-specific activities (residence: outbox, deadlines,
    // documents) are added by their modules.
    useFactory: (tenantDb: TenantDb, registry: ReferenceRegistrySimulator, calendars: CalendarService, audit: AuditService, late: LateEngine, delivery: DeliveryActivities) =>
      createProcessActivities({
        tenantDb,
        referenceRegistry: registry,
        delivery,
        dueDates: workingDayDueDates(calendars),
        audit: new AuditLogSink(audit),
        engine: late.get,
      }),
  },
  { provide: LATE_ENGINE, useFactory: () => new LateEngine() },
  {
    provide: PROCESS_ENGINE,
    inject: [APP_CONFIG, PROCESS_ACTIVITIES, LATE_ENGINE],
    useFactory: (config: AppConfig, activities: ActivityMap, late: LateEngine) => late.bind(createEngine(config, activities)),
  },
  // The engine is launched by its own lifecycle hooks (onModuleInit / onModuleDestroy).
  { provide: ENGINE_PROBE, useExisting: PROCESS_ENGINE },
];

/** Chooses the engine by config ENGINE; exports PROCESS_ENGINE and ENGINE_PROBE (for /health). */
@Global()
@Module({
  imports: [CalendarModule, DeliveryModule],
  providers,
  exports: [PROCESS_ENGINE, ENGINE_PROBE, PROCESS_ACTIVITIES, REFERENCE_REGISTRY],
})
export class EngineModule {}
