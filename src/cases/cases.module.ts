import { Module } from '@nestjs/common';
import { AUDIT_SINK, LoggerAuditSink } from './audit-sink';
import { CaseService } from './case.service';
import { TasksController } from './http/tasks.controller';
import { TaskService } from './task.service';

/** The case-file core: cases, tasks and timeline. Needs EngineModule (PROCESS_ENGINE). */
@Module({
  controllers: [TasksController],
  providers: [
    CaseService,
    TaskService,
    // LEAD: bind AUDIT_SINK to the real AuditService (hash-chained log) when it lands.
    { provide: AUDIT_SINK, useClass: LoggerAuditSink },
  ],
  exports: [CaseService, TaskService, AUDIT_SINK],
})
export class CasesModule {}
