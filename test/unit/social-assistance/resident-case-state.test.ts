import { residentCaseState } from '../../../src/modules/social-assistance/application/application-submitted.view';

describe("the resident's case page heading follows the case", () => {
  it.each([
    [{ status: 'open', stage: null, outcome: null }, 'submitted'],
    [{ status: 'open', stage: 'registry-checks', outcome: null }, 'submitted'],
    [{ status: 'open', stage: 'assessment', outcome: null }, 'submitted'],
    [{ status: 'open', stage: 'review', outcome: null }, 'under-review'],
    [{ status: 'open', stage: 'deciding', outcome: null }, 'under-review'],
    [{ status: 'open', stage: 'awaiting-information', outcome: null }, 'information-requested'],
    [{ status: 'open', stage: 'decided', outcome: 'granted' }, 'granted'],
    [{ status: 'open', stage: 'paying', outcome: 'partly-granted' }, 'partly-granted'],
    [{ status: 'open', stage: 'decided', outcome: 'refused' }, 'refused'],
    [{ status: 'closed', stage: 'closed', outcome: 'refused' }, 'refused'],
    [{ status: 'closed', stage: 'closed', outcome: 'granted' }, 'ended'],
    [{ status: 'closed', stage: 'closed', outcome: 'partly-granted' }, 'ended'],
  ] as const)('%o reads as %s', (s, state) => {
    expect(residentCaseState(s)).toBe(state);
  });
});
