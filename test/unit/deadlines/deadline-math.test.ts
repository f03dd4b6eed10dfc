import { HolidayCalendar } from '../../../src/deadlines/calendar/holiday-calendar';
import { computeDue, type DeadlineTerms } from '../../../src/deadlines/deadline-math';

const LV = new HolidayCalendar('LV');
const oneMonth: DeadlineTerms = {
  unit: 'months',
  amount: 1,
  maxExtension: 4,
  warnBefore: 5,
  onResume: 'shift',
};
const tenDays: DeadlineTerms = {
  unit: 'working_days',
  amount: 10,
  maxExtension: 20,
  warnBefore: 3,
  onResume: 'shift',
};

describe('computeDue', () => {
  it('gives one month with a four-month ceiling for the Administrative Procedure Law term', () => {
    const r = computeDue(LV, oneMonth, '2026-02-10', [], []);
    expect(r).toMatchObject({
      dueOn: '2026-03-10',
      baseDueOn: '2026-03-10',
      maxDueOn: '2026-06-10',
      pausedDays: 0,
    });
    expect(r.warnOn).toBe('2026-03-03');
  });

  it('moves a working-day term by the working days it was paused', () => {
    // Paused Fri 5 Jun → resumed Fri 12 Jun: 5 working days (8–12 Jun).
    const r = computeDue(
      LV,
      tenDays,
      '2026-06-01',
      [{ from: '2026-06-05', to: '2026-06-12', reason: 'x' }],
      [],
    );
    expect(r.pausedDays).toBe(5);
    expect(r.baseDueOn).toBe('2026-06-22'); // 15 Jun without the pause, then 5 more working days
  });

  it('ignores an open pause until it is closed', () => {
    const r = computeDue(
      LV,
      tenDays,
      '2026-06-01',
      [{ from: '2026-06-05', to: null, reason: 'x' }],
      [],
    );
    expect(r.dueOn).toBe('2026-06-15');
  });

  it('moves a month term by calendar days paused, then to a working day', () => {
    const r = computeDue(
      LV,
      oneMonth,
      '2026-02-10',
      [{ from: '2026-02-20', to: '2026-02-27', reason: 'x' }],
      [],
    );
    expect(r.pausedDays).toBe(7);
    expect(r.dueOn).toBe('2026-03-17');
  });

  it('restarts the whole term from the resume date when the rule says so (complete information)', () => {
    const r = computeDue(
      LV,
      { ...oneMonth, onResume: 'restart' },
      '2026-02-10',
      [{ from: '2026-02-11', to: '2026-03-20', reason: 'x' }],
      [],
    );
    expect(r.dueOn).toBe('2026-04-20');
  });

  it('uses the latest extension, moved to a working day', () => {
    const r = computeDue(
      LV,
      oneMonth,
      '2026-02-10',
      [],
      [
        {
          dueOn: '2026-04-04',
          reason: 'expert',
          at: '2026-03-01T10:00:00Z',
          noticeMessageId: null,
        },
      ],
    );
    expect(r.dueOn).toBe('2026-04-07'); // Sat 4 Apr → Easter → Tue 7 Apr
    expect(r.baseDueOn).toBe('2026-03-10');
  });
});

describe('computeDue at its edges', () => {
  it('runs a restart rule from the start while its only pause is still open', () => {
    const r = computeDue(
      LV,
      { ...oneMonth, onResume: 'restart' },
      '2026-02-10',
      [{ from: '2026-02-11', to: null, reason: 'x' }],
      [],
    );
    expect(r).toMatchObject({ dueOn: '2026-03-10', baseDueOn: '2026-03-10', pausedDays: 0 });
  });

  it('restarts from the latest resume date whatever order the pauses are stored in', () => {
    const pauses = [
      { from: '2026-02-11', to: '2026-03-02', reason: 'a' },
      { from: '2026-03-15', to: '2026-03-20', reason: 'b' },
      { from: '2026-03-05', to: '2026-03-10', reason: 'c' },
    ];
    const r = computeDue(LV, { ...oneMonth, onResume: 'restart' }, '2026-02-10', pauses, []);
    expect(r.dueOn).toBe('2026-04-20'); // 20 Mar + 1 month
  });

  it('gives no latest extension date when the rule allows no extension', () => {
    const r = computeDue(LV, { ...tenDays, maxExtension: null }, '2026-06-01', [], []);
    expect(r.maxDueOn).toBeNull();
    expect(computeDue(LV, tenDays, '2026-06-01', [], []).maxDueOn).toBe('2026-07-01'); // 20 working days: Līgo and Jāņi skipped
  });

  it('never lets an extension shorten the term', () => {
    const ext = [
      { dueOn: '2026-03-02', reason: 'typo', at: '2026-02-20T10:00:00Z', noticeMessageId: null },
    ];
    const r = computeDue(LV, oneMonth, '2026-02-10', [], ext);
    expect(r.dueOn).toBe('2026-03-10');
  });
});
