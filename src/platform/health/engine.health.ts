import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/** Anything that can say whether the process engine is reachable. The engine module provides it. */
export const ENGINE_PROBE = Symbol('ENGINE_PROBE');
export interface EngineProbe {
  readonly name: string;
  ping(): Promise<void>;
}

@Injectable()
export class EngineHealthIndicator {
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
      return h.down({ engine: this.probe.name, message: (e as Error).message });
    }
  }
}
