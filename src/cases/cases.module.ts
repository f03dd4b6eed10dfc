import { Global, Module } from '@nestjs/common';
import { CASE_TIMELINE } from '../documents/case-timeline';
import { DELIVERY_TIMELINE } from '../delivery/delivery-sender';
import { AUDIT_SINK } from './audit-sink';
import { DEADLINE_CHANGE_LISTENER } from '../deadlines/deadlines.service';
import {
  AuditLogSink,
  DeliveriesOnTimeline,
  DocumentsOnTimeline,
  DueDateChangesOnTimeline,
} from './case-file.ports';
import { CaseAccessService } from './case-access.service';
import { CaseService } from './case.service';
import { CaseRunRecovery } from './case-run-recovery';
import { ExternalEventService } from './external-events';
import { TasksController } from './http/tasks.controller';
import { TaskService } from './task.service';

/**
 * The case-file core: cases, tasks and timeline. Needs EngineModule (PROCESS_ENGINE). Global, so
 * documents and deliveries find the timeline ports they write to.
 */
@Global()
@Module({
  controllers: [TasksController],
  providers: [
    CaseService,
    ExternalEventService,
    CaseRunRecovery,
    CaseAccessService,
    TaskService,
    { provide: AUDIT_SINK, useClass: AuditLogSink },
    { provide: CASE_TIMELINE, useClass: DocumentsOnTimeline },
    { provide: DELIVERY_TIMELINE, useClass: DeliveriesOnTimeline },
    { provide: DEADLINE_CHANGE_LISTENER, useClass: DueDateChangesOnTimeline },
  ],
  exports: [
    CaseService,
    ExternalEventService,
    CaseRunRecovery,
    CaseAccessService,
    TaskService,
    AUDIT_SINK,
    CASE_TIMELINE,
    DELIVERY_TIMELINE,
    DEADLINE_CHANGE_LISTENER,
  ],
})
export class CasesModule {}
