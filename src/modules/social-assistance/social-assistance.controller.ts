import { Body, Controller, HttpCode, Post, Req, UsePipes } from '@nestjs/common';
import type { Request } from 'express';
import { domainValidationPipe } from '../../cases/http/validation.pipe';
import { Roles } from '../../platform/auth/access.decorators';
import { staffOf } from '../../workspace/page-support';
import {
  SocialAssistanceCalculatorService,
  type Breakdown,
} from './social-assistance-calculator.service';
import { CalculationRequestDto } from './social-assistance.dto';
import { SOCIAL_ASSISTANCE_STAFF } from './social-assistance.access';

/** The what-if calculator's JSON API for staff of a municipality that offers social assistance. */
@Controller('api/social-assistance')
@Roles(...SOCIAL_ASSISTANCE_STAFF)
@UsePipes(domainValidationPipe)
export class SocialAssistanceController {
  constructor(private readonly calculator: SocialAssistanceCalculatorService) {}

  @Post('calculations')
  @HttpCode(200)
  calculate(@Req() req: Request, @Body() body: CalculationRequestDto): Promise<Breakdown> {
    return this.calculator.calculate(staffOf(req).municipalityId, body);
  }
}
