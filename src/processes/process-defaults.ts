import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Parameter } from '../parameters/parameter.entity';
import { ParametersService } from '../parameters/parameters.service';
import { ProcessRegistry } from './process-registry';

/**
 * Seeds the process modules' parameter defaults when the application starts: a key with no
 * national version gets the manifest's one, through ParametersService (validated and
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
    for (const p of this.processes.parameterDefaults()) {
      const exists = await this.db.getRepository(Parameter).existsBy({ country: p.country, key: p.key, municipalityId: IsNull() });
      if (exists) continue;
      await this.parameters.define({ ...p, municipalityId: null });
      added++;
    }
    return added;
  }
}
