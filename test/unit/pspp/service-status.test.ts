import { decisionResult, parseServiceCodes } from '../../../src/cases/service-status/case-status';
import { validate } from '../../../src/integrations/pspp/stand-in/stand-in.server';

const report = {
  provider: { registrationNumber: '90000012345', code: 'tukums', name: 'Tukuma novada pašvaldība' },
  serviceCode: 'DZV-DEKLARACIJA',
  caseNumber: 'RES-2026-000001',
  status: 'registered',
  sequence: 1,
  occurredAt: '2026-12-06T00:00:00.000Z',
  channel: 'e_service',
};

describe('service status reports', () => {
  it('maps refusing outcomes to refused and every other decision to granted', () => {
    expect(['rejected', 'kept', 'refused'].map(decisionResult)).toEqual([
      'refused',
      'refused',
      'refused',
    ]);
    expect(['registered', 'annulled', 'approved', 'issued'].map(decisionResult)).toEqual([
      'granted',
      'granted',
      'granted',
      'granted',
    ]);
  });

  it('reads PSPP_SERVICE_CODES as process-key=CODE pairs', () => {
    expect([...parseServiceCodes(' residence-declaration = LV-1 ,reference=LV-2')]).toEqual([
      ['residence-declaration', 'LV-1'],
      ['reference', 'LV-2'],
    ]);
    expect(parseServiceCodes('').size).toBe(0);
  });

  it('the stand-in names every wrong field of a report', () => {
    expect(validate(report)).toEqual([]);
    expect(validate({ ...report, channel: 'fax', sequence: 0 })).toEqual(['sequence', 'channel']);
    expect(validate({ ...report, status: 'decided', channel: undefined })).toEqual(['result']);
    expect(validate({ ...report, provider: {}, caseNumber: ' ', occurredAt: 'yesterday' })).toEqual(
      ['provider.registrationNumber', 'caseNumber', 'occurredAt'],
    );
    expect(validate('x')).toEqual(['body']);
  });
});
