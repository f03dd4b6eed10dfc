import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import type { TaskScope } from '../task.service';

export class ListTasksQuery {
  @IsOptional()
  @IsIn(['role', 'mine', 'escalated'])
  scope?: TaskScope;
}

export class CompleteTaskBody {
  /** Validated further against the task's form (see src/cases/forms). */
  @IsObject()
  decision: Record<string, unknown>;
}

export class ReassignTaskBody {
  @IsUUID()
  assigneeId: string;
}
