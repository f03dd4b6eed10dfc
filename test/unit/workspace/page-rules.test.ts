import { toCsv } from '../../../src/workspace/case-list.service';
import { safeReturn } from '../../../src/workspace/page-support';
import { caseActions, taskActions } from '../../../src/workspace/permissions';
import { dueTone } from '../../../src/workspace/working-days-left';
import { withDone } from '../../../src/workspace/workspace.pages.controller';

describe('due-date tags', () => {
  it.each([
    [-3, true, 'red'],
    [0, false, 'orange'],
    [1, false, 'orange'],
    [5, false, 'yellow'],
    [6, false, 'green'],
  ])('%i working days left (overdue %s) is %s', (left, overdue, tone) => {
    expect(dueTone(left, overdue)).toBe(tone);
  });
});

describe('CSV export', () => {
  it('quotes separators and neutralises cells a spreadsheet would evaluate', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['=1+1', 'x,"y"'],
          ['-2', null],
          ['@SUM(A1)', 3],
        ],
      ),
    ).toBe('a,b\r\n\'=1+1,"x,""y"""\r\n\'-2,\r\n\'@SUM(A1),3\r\n');
  });
});

describe('where a form may send the user back to', () => {
  it.each([
    ['/workspace?lang=en', '/workspace?lang=en'],
    ['/workspace/cases/0b3f', '/workspace/cases/0b3f'],
    ['//evil.example/workspace', '/fallback'],
    ['https://evil.example/', '/fallback'],
    ['/workspace/../../etc', '/fallback'],
    ['/auth/sign-out', '/fallback'],
  ])('%s -> %s', (value, expected) => {
    expect(safeReturn(value, '/fallback')).toBe(expected);
  });

  it('replaces an earlier flash key', () => {
    expect(withDone('/workspace?done=claimed&lang=en', 'released')).toBe(
      '/workspace?lang=en&done=released',
    );
    expect(withDone('/workspace', 'claimed')).toBe('/workspace?done=claimed');
  });
});

describe('buttons offered', () => {
  const me = { accountId: 'me', roles: ['caseworker'] };
  const manager = { accountId: 'boss', roles: ['manager'] };
  it('offers claim for an open task of my role, decide and release once it is mine', () => {
    expect(
      taskActions(me, { status: 'open', role: 'caseworker', assigneeId: null, escalated: false }),
    ).toEqual({ claim: true, release: false, decide: false, reassign: false });
    expect(
      taskActions(me, {
        status: 'claimed',
        role: 'caseworker',
        assigneeId: 'me',
        escalated: false,
      }),
    ).toEqual({ claim: false, release: true, decide: true, reassign: false });
  });
  it("offers nothing on someone else's task, and a manager release and reassign", () => {
    expect(
      taskActions(me, {
        status: 'claimed',
        role: 'caseworker',
        assigneeId: 'other',
        escalated: false,
      }),
    ).toEqual({ claim: false, release: false, decide: false, reassign: false });
    expect(
      taskActions(manager, {
        status: 'claimed',
        role: 'caseworker',
        assigneeId: 'other',
        escalated: false,
      }),
    ).toEqual({ claim: false, release: true, decide: false, reassign: true });
    expect(
      taskActions(manager, {
        status: 'open',
        role: 'caseworker',
        assigneeId: null,
        escalated: true,
      }).decide,
    ).toBe(true);
  });
  it('offers case actions only on open cases', () => {
    expect(caseActions(manager, { status: 'closed' })).toEqual({
      requestInfo: false,
      extend: false,
      audit: true,
    });
    expect(caseActions(me, { status: 'open' })).toEqual({
      requestInfo: true,
      extend: false,
      audit: false,
    });
  });
});
