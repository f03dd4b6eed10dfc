import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Parameter } from '../parameters/parameter.entity';
import { byCountryAndKey, ParametersService } from '../parameters/parameters.service';
import type { ParameterDefault } from './process-module';
import { ProcessRegistry } from './process-registry';

/**
 * Seeds the process modules' parameter defaults when the application starts: a key with no
 * national version gets the manifest's one (or its whole history, oldest first), through ParametersService (validated and
 * effective-dated like an administrator's). An existing key is left alone: administrators change
 * values by adding a newer version, and a restart must not undo that.
 */
@Injectable()
export class ProcessDefaults implements OnApplicationBootstrap {
  constructor(
    private readonly processes: ProcessRegistry,
    private readonly parameters: ParametersService,
    private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureParameters();
  }

  /** Defines the missing defaults; returns how many were added. */
  async ensureParameters(): Promise<number> {
    let added = 0;
    const exists = (p: ParameterDefault) =>
      this.db
        .getRepository(Parameter)
        .existsBy({ country: p.country, key: p.key, municipalityId: IsNull() });
    // A key's versions (its history) are seeded together, oldest first.
    for (const versions of byCountryAndKey(this.processes.parameterDefaults())) {
      const p = versions[0];
      if (await exists(p)) continue;
      try {
        await this.parameters.seedDefaults(versions);
        added++;
      } catch (e) {
        // Another instance starting at the same time seeded it first.
        if (!(await exists(p))) throw e;
      }
    }
    return added;
  }
}
