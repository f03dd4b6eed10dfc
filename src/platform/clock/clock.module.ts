import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { CLOCK, createClock } from './clock';

/** The clock (config CLOCK): the system clock, or the controllable one production refuses. */
@Global()
@Module({
  providers: [
    {
      provide: CLOCK,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // Temporal runs workflow time on its server: a clock moved here would not move it.
        if (config.CLOCK === 'controllable' && config.ENGINE === 'temporal')
          throw new Error('CLOCK=controllable works with ENGINE=dbos only');
        return createClock(config.CLOCK);
      },
    },
  ],
  exports: [CLOCK],
})
export class ClockModule {}
