import { Body, Controller, Get, HttpCode, Param, Post, Query, UsePipes } from '@nestjs/common';
import type { ActingUser } from '../acting-user';
import type { Task } from '../task.entity';
import { TaskService } from '../task.service';
import { CurrentUser } from './acting-user.decorator';
import { CompleteTaskBody, ListTasksQuery, ReassignTaskBody } from './tasks.dto';
import { domainValidationPipe } from './validation.pipe';
import { Roles } from '../../platform/auth/access.decorators';

/** JSON task API for staff. Permission: the task's role (claim, complete) or `manager` (reassign, escalated work). */
@Controller('api/tasks')
@Roles('caseworker', 'manager', 'administrator', 'council_secretary')
@UsePipes(domainValidationPipe)
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Get()
  list(@CurrentUser() user: ActingUser, @Query() q: ListTasksQuery): Promise<Task[]> {
    return this.tasks.list(user, q.scope ?? 'role');
  }

  @Get(':id')
  get(@CurrentUser() user: ActingUser, @Param('id') id: string): Promise<Task> {
    return this.tasks.get(user, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  claim(@CurrentUser() user: ActingUser, @Param('id') id: string): Promise<Task> {
    return this.tasks.claim(user, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  release(@CurrentUser() user: ActingUser, @Param('id') id: string): Promise<Task> {
    return this.tasks.release(user, id);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  reassign(
    @CurrentUser() user: ActingUser,
    @Param('id') id: string,
    @Body() body: ReassignTaskBody,
  ): Promise<Task> {
    return this.tasks.reassign(user, id, body.assigneeId);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(
    @CurrentUser() user: ActingUser,
    @Param('id') id: string,
    @Body() body: CompleteTaskBody,
  ): Promise<Task> {
    return this.tasks.complete(user, id, body.decision);
  }
}
