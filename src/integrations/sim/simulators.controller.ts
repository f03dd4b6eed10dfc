import { Body, Controller, Get, Param, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { requireViewer } from '../../persons/viewer';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { FaultSettings, FaultStatus } from './fault-injection';
import { SIMULATOR_NAMES, Simulators, type SimulatorName } from './simulators';
import { Roles } from '../../platform/auth/access.decorators';

const faultsBody = z
  .object({
    failNext: z.number().int().min(0).max(1_000_000).optional(),
    down: z.boolean().optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    latencyMaxMs: z.number().int().min(0).max(60_000).optional(),
    timeoutNext: z.number().int().min(0).max(1_000_000).optional(),
    timeoutMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict();

function adminOnly(req: Request): void {
  const viewer = requireViewer((req as Request & { user?: unknown }).user);
  if (!viewer.roles.includes('admin'))
    throw new DomainError(ErrorCode.Forbidden, 'admin role required');
}

function simulatorName(name: string): SimulatorName {
  if (!(SIMULATOR_NAMES as readonly string[]).includes(name)) {
    throw new DomainError(ErrorCode.NotFound, `no simulator ${name}`, [], { name });
  }
  return name as SimulatorName;
}

/** Dev/admin endpoint (not mounted in production): failure switches of the register simulators. */
@Controller('api/dev/simulators')
@Roles('administrator')
export class SimulatorsController {
  constructor(private readonly simulators: Simulators) {}

  @Get()
  list(@Req() req: Request): FaultStatus[] {
    adminOnly(req);
    return SIMULATOR_NAMES.map((n) => this.simulators.faults(n).status());
  }

  @Put(':name/faults')
  set(@Req() req: Request, @Param('name') name: string, @Body() body: unknown): FaultStatus {
    adminOnly(req);
    const parsed = faultsBody.safeParse(body ?? {});
    if (!parsed.success) {
      throw DomainError.validation(
        parsed.error.issues.map((i) => ({
          field: String(i.path[0] ?? 'body'),
          message: `registers:faults.${String(i.path[0] ?? 'body')}`,
        })),
      );
    }
    return this.simulators.faults(simulatorName(name)).set(parsed.data as Partial<FaultSettings>);
  }

  @Post(':name/reset')
  reset(@Req() req: Request, @Param('name') name: string): FaultStatus {
    adminOnly(req);
    return this.simulators.faults(simulatorName(name)).reset();
  }
}
