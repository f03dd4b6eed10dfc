import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { I18nService } from '../../../platform/i18n/i18n.service';
import type { SocialAssistanceApplication } from './application.entity';
import { SocialAssistanceApplicationService } from './application.service';
import { formValues, stepSections, StepView } from './application.view';

/** A submitted application: what was declared, when and through which channel. */
@Injectable()
export class SubmittedView {
  constructor(
    private readonly applications: SocialAssistanceApplicationService,
    private readonly i18n: I18nService,
  ) {}

  async render(
    req: Request,
    res: Response,
    app: SocialAssistanceApplication,
    staff: boolean,
  ): Promise<void> {
    const v = new StepView(this.i18n, req.lang, formValues(app, req.lang), []);
    const bills = await this.applications.bills(app);
    const { summary } = stepSections(v, 'review', app, req.lang, bills) as {
      summary: unknown;
    };
    res.render('modules/social-assistance/application/views/application-submitted', {
      title: v.t('submitted.title'),
      app,
      staff,
      channel: v.t(`channel.${app.channel}`),
      summary,
      bills: bills.map((b) => ({
        ...b,
        href: `/workspace/social-assistance/applications/${app.id}/housing/bills/${b.id}`,
      })),
    });
  }
}
