import { Global, Module } from '@nestjs/common';
import { CalendarModule } from '../deadlines/calendar/calendar.module';
import { ParametersService } from './parameters.service';

/** Effective-dated amounts any process may read (fees, thresholds, coefficients). */
@Global()
@Module({ imports: [CalendarModule], providers: [ParametersService], exports: [ParametersService] })
export class ParametersModule {}
