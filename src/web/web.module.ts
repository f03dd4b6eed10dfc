import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { HttpErrorFilter } from './http-error.filter';
import { RequestParamsPipe } from './request-params.pipe';
import { WebController } from './web.controller';

@Module({
  controllers: [WebController],
  providers: [
    { provide: APP_FILTER, useClass: HttpErrorFilter },
    { provide: APP_PIPE, useClass: RequestParamsPipe },
  ],
})
export class WebModule {}
