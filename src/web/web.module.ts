import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorFilter } from './http-error.filter';
import { WebController } from './web.controller';

@Module({
  controllers: [WebController],
  providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
})
export class WebModule {}
