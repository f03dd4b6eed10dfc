import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/** Anything that can say whether the process engine is reachable. The engine module provides it. */
export const ENGINE_PROBE = Symbol('ENGINE_PROBE');
export interface EngineProbe {
  readonly name: string;
  ping(): Promise<void>;
}

@Injectable()
export class EngineHealthIndicator {
  private readonly log = new Logger('Health');

  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(ENGINE_PROBE) private readonly probe: EngineProbe,
  ) {}

  async check(key: string) {
    const h = this.indicator.check(key);
    try {
      await this.probe.ping();
      return h.up({ engine: this.probe.name });
    } catch (e) {
      // /health is public: why the engine is down (addresses, driver errors) goes to the log only (issue 12 L3).
      this.log.error({ err: e }, `engine ${this.probe.name} is down`);
      return h.down({ engine: this.probe.name });
    }
  }
}
