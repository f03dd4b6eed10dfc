import type { Request } from 'express';
import type { I18nService } from '../platform/i18n/i18n.service';

/**
 * The citizen portal's menu: the service catalogue, and for a signed-in resident their cases and
 * who consulted their data. `current` marks the page the resident is on ('' on the home page).
 */
export const portalNav = (i18n: I18nService, req: Request, current: string) =>
  [
    { key: 'services', href: '/services', label: i18n.t(req.lang, 'common:nav.portal') },
    ...(req.user
      ? [{ key: 'my-cases', href: '/my-cases', label: i18n.t(req.lang, 'common:nav.myCases') }]
      : []),
    ...(req.user
      ? [
          {
            key: 'my-data',
            href: '/my-data/consultations',
            label: i18n.t(req.lang, 'portal:nav.myData'),
          },
        ]
      : []),
  ].map((x) => ({ ...x, current: x.key === current }));
