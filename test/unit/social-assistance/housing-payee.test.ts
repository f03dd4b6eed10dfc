import { payeeOf } from '../../../activities/social-assistance/social-assistance.activities';
import {
  emptyApplicationData,
  type ApplicationData,
} from '../../../src/modules/social-assistance/application/application.types';

const app = (data: Partial<ApplicationData>) => ({
  applicantName: 'Jānis Bērziņš',
  data: { ...emptyApplicationData(), paymentAccount: 'LV80BANK0000435195001', ...data },
});
const heating = {
  kind: 'heating' as const,
  amountCents: 300_00,
  payee: 'Tukuma siltums',
  iban: 'LV92HABA0551020304050',
  reference: 'SIL-0042',
};

describe('who an award benefit is paid to', () => {
  it('pays the housing benefit to the provider the application names, with its bill as remittance', () => {
    expect(payeeOf(app({ housingCosts: [heating], housingPaidTo: 'heating' }), 'housing')).toEqual({
      payeeKind: 'provider',
      payeeName: 'Tukuma siltums',
      payeeIban: 'LV92HABA0551020304050',
      payeeReference: 'SIL-0042',
    });
  });

  it('pays GMI to the resident even when the housing benefit goes to a provider', () => {
    expect(payeeOf(app({ housingCosts: [heating], housingPaidTo: 'heating' }), 'gmi')).toEqual({
      payeeKind: 'resident',
      payeeName: 'Jānis Bērziņš',
      payeeIban: 'LV80BANK0000435195001',
      payeeReference: null,
    });
  });

  it('pays the resident, with the bill reference, when the resident is chosen or an older application has no provider account', () => {
    const resident = {
      payeeKind: 'resident',
      payeeName: 'Jānis Bērziņš',
      payeeIban: 'LV80BANK0000435195001',
      payeeReference: 'SIL-0042',
    };
    expect(
      payeeOf(app({ housingCosts: [heating], housingPaidTo: 'applicant' }), 'housing'),
    ).toEqual(resident);
    const { iban: _none, ...older } = heating;
    expect(payeeOf(app({ housingCosts: [older], housingPaidTo: undefined }), 'housing')).toEqual(
      resident,
    );
  });
});
