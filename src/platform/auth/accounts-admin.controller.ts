import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from './access.decorators';
import { AuthService } from './auth.service';

/** Administrators disable and re-enable accounts of their municipality (JSON; CSRF header token). */
@Controller('api/admin/accounts')
@Roles('administrator')
export class AccountsAdminController {
  constructor(private readonly auth: AuthService) {}

  @Post(':accountId/disable')
  @HttpCode(200)
  async disable(
    @Req() req: Request,
    @Param('accountId') accountId: string,
  ): Promise<{ disabled: true; sessionsEnded: number }> {
    const sessionsEnded = await this.auth.disableAccountIn(
      req.user!.municipalityId!,
      accountId,
      req.user!.accountId,
    );
    return { disabled: true, sessionsEnded };
  }

  @Post(':accountId/enable')
  @HttpCode(200)
  async enable(
    @Req() req: Request,
    @Param('accountId') accountId: string,
  ): Promise<{ disabled: false }> {
    await this.auth.enableAccountIn(req.user!.municipalityId!, accountId, req.user!.accountId);
    return { disabled: false };
  }
}
