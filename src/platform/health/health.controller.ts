import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/access.decorators';
import { EngineHealthIndicator } from './engine.health';

/** Terminus reports a failed check as 503 with the details: keep that body for probes. */
@Catch(ServiceUnavailableException)
class HealthReportFilter implements ExceptionFilter {
  catch(e: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(503).json(e.getResponse());
  }
}

@Controller('health')
@Public()
@UseFilters(HealthReportFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly engine: EngineHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('database'), () => this.engine.check('engine')]);
  }
}
