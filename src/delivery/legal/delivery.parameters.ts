import type { ParameterDefault } from '../../parameters/parameters.service';

/**
 * When a delivered document takes legal effect, per channel, and the appeal period of a decision:
 * effective-dated parameters (administration → parameters), never constants. The unit says how the
 * period counts: `working_days` (the jurisdiction's calendar), `days` (calendar days) or `months`.
 */
export const DELIVERY_PARAMETERS = {
  deemedEAddress: 'delivery.deemed-notified.e-address',
  deemedEmail: 'delivery.deemed-notified.email',
  deemedPost: 'delivery.deemed-notified.post',
  appealPeriod: 'delivery.appeal-period',
} as const;

export const DELIVERY_PARAMETER_DEFAULTS: readonly ParameterDefault[] = [
  {
    country: 'LV',
    key: DELIVERY_PARAMETERS.deemedEAddress,
    value: '2',
    unit: 'working_days',
    validFrom: '2000-01-01',
    note: 'Paziņošanas likums 9. pants: a document sent to an activated official e-address is deemed notified on the 2nd working day after sending.',
  },
  {
    country: 'LV',
    key: DELIVERY_PARAMETERS.deemedEmail,
    value: '2',
    unit: 'working_days',
    validFrom: '2000-01-01',
    note: 'Paziņošanas likums 9. pants (electronic notification, e-mail with the addressee’s consent): 2nd working day after sending. Unverified for the municipality’s e-mail channel: check before relying on it.',
  },
  {
    country: 'LV',
    key: DELIVERY_PARAMETERS.deemedPost,
    value: '7',
    unit: 'days',
    validFrom: '2000-01-01',
    note: 'Paziņošanas likums 8. pants: a simple letter is deemed notified on the 7th day after posting (some sources say the 8th). Unverified exact rule: check before relying on it.',
  },
  {
    country: 'LV',
    key: DELIVERY_PARAMETERS.appealPeriod,
    value: '1',
    unit: 'months',
    validFrom: '2000-01-01',
    note: 'Administratīvā procesa likums (79. pants: contest; 188. pants: appeal to court): one month from the day the act takes effect, i.e. is notified (DOMAIN.md: 1 month). Article numbers not checked against likumi.lv here.',
  },
];
