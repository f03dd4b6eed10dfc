import { createDeadlineActivities } from '../../../activities/deadlines';
import { CaseService } from '../../../src/cases/case.service';
import { CalendarService } from '../../../src/deadlines/calendar/calendar.service';
import { DeadlineDashboardService } from '../../../src/deadlines/deadline-dashboard.service';
import { DeadlineRulesService } from '../../../src/deadlines/deadline-rules.service';
import { Deadline } from '../../../src/deadlines/deadline.entity';
import { DeadlinesService } from '../../../src/deadlines/deadlines.service';
import { Alert } from '../../../src/delivery/alerts/alert.entity';
import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { DomainError } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { bootHarness, createSealedMunicipality, type Harness } from '../delivery/support';

// The app boots in full (engine, Chromium pool, registers): seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

let h: Harness;
let m1: string;
let m2: string;
let deadlines: DeadlinesService;
let calendars: CalendarService;
let rules: DeadlineRulesService;
let tenantDb: TenantDb;
let act: ReturnType<typeof createDeadlineActivities>;
let n = 0;
const caseId = () => `case-dl-${++n}`;

beforeAll(async () => {
  h = await bootHarness();
  m1 = await createSealedMunicipality(h.ds);
  m2 = await createSealedMunicipality(h.ds);
  deadlines = h.app.get(DeadlinesService);
  calendars = h.app.get(CalendarService);
  rules = h.app.get(DeadlineRulesService);
  tenantDb = h.app.get(TenantDb);
  act = createDeadlineActivities({ deadlines });
});

afterAll(async () => {
  await h?.close();
});

describe('deadline rules', () => {
  it('are seeded once with the legal defaults', async () => {
    expect(await rules.ensureDefaults()).toBe(0); // already seeded at boot
    const r = await rules.effective('LV', 'residence-declaration.decision', '2026-03-01');
    expect(r).toMatchObject({
      unit: 'months',
      amount: 1,
      maxExtension: 4,
      basis: expect.stringContaining('64. pants'),
    });
    const tree = await rules.effective(
      'LV',
      'tree-cutting-permit.decision-with-opinions',
      '2026-03-01',
    );
    expect(tree).toMatchObject({ unit: 'working_days', amount: 20 });
  });

  it('take a new effective-dated version without changing running deadlines', async () => {
    const ruleKey = `test-rule-${Date.now()}`;
    await rules.define({
      country: 'LV',
      processKey: 'test',
      ruleKey,
      basis: 'old law',
      unit: 'working_days',
      amount: 5,
      maxExtension: null,
      warnBefore: 1,
      onResume: 'shift',
      validFrom: '2020-01-01',
      note: '',
    });
    const c = caseId();
    const before = await deadlines.start({
      municipalityId: m1,
      caseId: c,
      key: 'decision',
      ruleKey,
      startedAt: new Date('2026-03-02T08:00:00Z'),
    });
    expect(before.dueOn).toBe('2026-03-09');
    await rules.define({
      country: 'LV',
      processKey: 'test',
      ruleKey,
      basis: 'new law',
      unit: 'working_days',
      amount: 7,
      maxExtension: null,
      warnBefore: 1,
      onResume: 'shift',
      validFrom: '2026-06-01',
      note: '',
    });
    expect((await rules.effective('LV', ruleKey, '2026-05-31')).basis).toBe('old law');
    expect((await rules.effective('LV', ruleKey, '2026-06-01')).basis).toBe('new law');
    expect((await deadlines.get(m1, before.id)).dueOn).toBe('2026-03-09');
    await expect(
      rules.define({
        country: 'EE',
        processKey: 'x',
        ruleKey,
        basis: '',
        unit: 'weeks' as never,
        amount: 0,
        maxExtension: null,
        warnBefore: 1,
        onResume: 'shift',
        validFrom: 'soon',
        note: '',
      }),
    ).rejects.toMatchObject({
      fields: expect.arrayContaining([
        { field: 'country', message: 'deadlines:errors.countryInvalid' },
        { field: 'unit', message: 'deadlines:errors.unitInvalid' },
        { field: 'amount', message: 'deadlines:errors.amountInvalid' },
      ]),
    });
  });
});

describe('deadlines', () => {
  it('start from the local date of receipt, once per case step', async () => {
    const c = caseId();
    const first = await act.startDeadline({
      municipalityId: m1,
      caseId: c,
      key: 'decision',
      ruleKey: 'residence-declaration.decision',
      startedAt: '2026-02-09T22:30:00Z',
    });
    // 22:30 UTC on 9 Feb is 10 Feb in Riga: one month → Tue 10 Mar 2026, end of day Riga time.
    expect(first).toMatchObject({
      dueOn: '2026-03-10',
      dueAt: '2026-03-10T21:59:59.999Z',
      warnAt: '2026-03-03T06:00:00.000Z',
      status: 'running',
    });
    const again = await act.startDeadline({
      municipalityId: m1,
      caseId: c,
      key: 'decision',
      ruleKey: 'residence-declaration.decision',
      startedAt: '2026-02-20T10:00:00Z',
    });
    expect(again.deadlineId).toBe(first.deadlineId);
    expect(again.dueOn).toBe('2026-03-10');
  });

  it('pause while waiting for the citizen and move by the paused working days on resume', async () => {
    const d = await act.startDeadline({
      municipalityId: m1,
      caseId: caseId(),
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: '2026-06-01T07:00:00Z',
    });
    expect(d.dueOn).toBe('2026-06-15');
    const ref = { municipalityId: m1, deadlineId: d.deadlineId };
    expect(
      (await act.pauseDeadline({ ...ref, at: '2026-06-05T09:00:00Z', reason: 'site plan missing' }))
        .status,
    ).toBe('paused');
    expect(
      (await act.pauseDeadline({ ...ref, at: '2026-06-08T09:00:00Z', reason: 'again' })).status,
    ).toBe('paused');
    const resumed = await act.resumeDeadline({ ...ref, at: '2026-06-12T09:00:00Z' });
    expect(resumed).toMatchObject({ status: 'running', dueOn: '2026-06-22' });
    expect((await act.resumeDeadline({ ...ref, at: '2026-06-19T09:00:00Z' })).dueOn).toBe(
      '2026-06-22',
    );
    const view = await deadlines.get(m1, d.deadlineId);
    expect(view.pauses).toEqual([
      { from: '2026-06-05', to: '2026-06-12', reason: 'site plan missing' },
    ]);
  });

  it('restart the month for social assistance when the missing information arrives', async () => {
    const d = await act.startDeadline({
      municipalityId: m1,
      caseId: caseId(),
      key: 'status-decision',
      ruleKey: 'social-assistance.status-decision',
      startedAt: '2026-02-10T08:00:00Z',
    });
    const ref = { municipalityId: m1, deadlineId: d.deadlineId };
    await act.pauseDeadline({
      ...ref,
      at: '2026-02-11T08:00:00Z',
      reason: 'income statement missing',
    });
    expect((await act.resumeDeadline({ ...ref, at: '2026-03-20T08:00:00Z' })).dueOn).toBe(
      '2026-04-20',
    );
  });

  it('extend with a reason up to the maximum and write a notice to the applicant', async () => {
    const c = caseId();
    const d = await deadlines.start({
      municipalityId: m1,
      caseId: c,
      key: 'decision',
      ruleKey: 'residence-declaration.decision',
      startedAt: new Date('2026-02-10T08:00:00Z'),
    });
    const notice = { channel: 'e_address', recipient: '010190-12345', lang: 'lv' };

    const noReason = await deadlines
      .extend(m1, d.id, { newDueOn: '2026-04-10', reason: ' ', by: 'staff', notice })
      .catch((e: unknown) => e);
    expect(noReason).toBeInstanceOf(DomainError);
    expect((noReason as DomainError).fields).toEqual([
      { field: 'reason', message: 'deadlines:errors.reasonRequired' },
    ]);
    await expect(
      deadlines.extend(m1, d.id, {
        newDueOn: '2026-06-11',
        reason: 'expert opinion',
        by: 'staff',
        notice,
      }),
    ).rejects.toMatchObject({
      fields: [
        {
          field: 'newDueOn',
          message: 'deadlines:errors.beyondMaximum',
          params: { maxDueOn: '2026-06-10' },
        },
      ],
    });
    await expect(
      deadlines.extend(m1, d.id, { newDueOn: '2026-03-01', reason: 'x', by: 'staff', notice }),
    ).rejects.toMatchObject({
      fields: [{ field: 'newDueOn', message: 'deadlines:errors.dueNotLater' }],
    });
    const unchanged = await tenantDb.run(m1, async (em) => ({
      d: await em.getRepository(Deadline).findOneByOrFail({ id: d.id }),
      notices: await em.getRepository(OutboxMessage).countBy({ caseId: c }),
    }));
    expect(unchanged.d.extensions).toEqual([]);
    expect(unchanged.d.dueOn).toBe('2026-03-10');
    expect(unchanged.notices).toBe(0);

    const extended = await deadlines.extend(m1, d.id, {
      newDueOn: '2026-04-10',
      reason: 'Nepieciešams eksperta atzinums',
      by: 'staff',
      notice,
    });
    expect(extended.dueOn).toBe('2026-04-10');
    expect(extended.extensions).toHaveLength(1);
    const msg = await tenantDb.run(m1, (em) =>
      em
        .getRepository(OutboxMessage)
        .findOneByOrFail({ id: extended.extensions[0].noticeMessageId! }),
    );
    expect(msg).toMatchObject({
      channel: 'e_address',
      purpose: 'notice',
      recipient: '010190-12345',
      status: 'pending',
      idempotencyKey: `deadline:${d.id}:extension:1`,
    });
    expect(msg.subject).toBe('Lēmuma pieņemšanas termiņš pagarināts līdz 2026-04-10');
    expect(msg.body).toContain('Nepieciešams eksperta atzinums');
    expect(msg.body).toContain('64. pants');
    const sent = await h.app.get(DeliverySender).send(m1, msg.id);
    expect(sent.status).toBe('sent');
  });

  it('extends to exactly the last allowed day and refuses the day after (issue 16: the boundary itself)', async () => {
    const c = caseId();
    const d = await deadlines.start({
      municipalityId: m1,
      caseId: c,
      key: 'decision',
      ruleKey: 'residence-declaration.decision',
      startedAt: new Date('2026-02-10T08:00:00Z'),
    });
    expect(d.maxDueOn).toBe('2026-06-10');
    const notice = { channel: 'e_address', recipient: '010190-12345', lang: 'lv' };
    await expect(
      deadlines.extend(m1, d.id, {
        newDueOn: '2026-06-11',
        reason: 'eksperta atzinums',
        by: 'staff',
        notice,
      }),
    ).rejects.toMatchObject({
      fields: [
        {
          field: 'newDueOn',
          message: 'deadlines:errors.beyondMaximum',
          params: { maxDueOn: '2026-06-10' },
        },
      ],
    });
    const last = await deadlines.extend(m1, d.id, {
      newDueOn: '2026-06-10',
      reason: 'eksperta atzinums',
      by: 'staff',
      notice,
    });
    expect(last).toMatchObject({ dueOn: '2026-06-10', maxDueOn: '2026-06-10' });
    expect(last.extensions).toHaveLength(1);
  });

  it('recompute running deadlines when calendar exceptions change, only where they apply, and say so on the case timeline', async () => {
    const open = async (municipalityId: string) =>
      (
        await h.app.get(CaseService).open({
          municipalityId,
          processKey: 'reference',
          title: 'Kalendāra maiņa',
          applicantRef: null,
          actor: 'system',
          input: { subjectRef: 'REF-CAL' },
        })
      ).id;
    const start = {
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: new Date('2026-06-15T07:00:00Z'),
    };
    const caseA = await open(m1);
    const caseB = await open(m2);
    const a = await deadlines.start({ municipalityId: m1, caseId: caseA, ...start });
    const b = await deadlines.start({ municipalityId: m2, caseId: caseB, ...start });
    expect(a.dueOn).toBe('2026-07-01');
    const moved = (municipalityId: string, id: string) =>
      tenantDb.run(municipalityId, (em) =>
        em.query<{ data: { deadlineId: string; from: string; to: string } }[]>(
          `SELECT data FROM timeline_events WHERE case_id = $1 AND kind = 'deadline.due_changed' ORDER BY at, id`,
          [id],
        ),
      );

    const ex = await calendars.addException({
      country: 'LV',
      municipalityId: m1,
      date: '2026-06-26',
      kind: 'extra_holiday',
      note: 'town festival',
    });
    expect((await deadlines.get(m1, a.id)).dueOn).toBe('2026-07-02');
    expect((await deadlines.get(m2, b.id)).dueOn).toBe('2026-07-01');
    expect((await moved(m1, caseA)).map((r) => r.data)).toEqual([
      { deadlineId: a.id, from: '2026-07-01', to: '2026-07-02' },
    ]);
    expect(await moved(m2, caseB)).toEqual([]);

    await calendars.removeException(ex.id);
    expect((await deadlines.get(m1, a.id)).dueOn).toBe('2026-07-01');
    expect((await moved(m1, caseA)).map((r) => r.data.to)).toEqual(['2026-07-02', '2026-07-01']);
  });

  it('recompute across the country for a decreed working Saturday', async () => {
    const d = await deadlines.start({
      municipalityId: m2,
      caseId: caseId(),
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: new Date('2031-03-03T07:00:00Z'),
    });
    expect(d.dueOn).toBe('2031-03-17'); // Mon 3 Mar 2031 + 10 working days
    const ex = await calendars.addException({
      country: 'LV',
      date: '2031-03-08',
      kind: 'extra_working_day',
      note: 'moved working day (test)',
    });
    try {
      expect((await deadlines.get(m2, d.id)).dueOn).toBe('2031-03-14');
    } finally {
      await calendars.removeException(ex.id);
    }
    expect((await deadlines.get(m2, d.id)).dueOn).toBe('2031-03-17');
  });

  it('reject a malformed or duplicate calendar exception with field errors', async () => {
    await expect(
      calendars.addException({ country: 'XX', date: '2026-02-30', kind: 'maybe' }),
    ).rejects.toMatchObject({
      fields: [
        { field: 'country', message: 'deadlines:errors.countryInvalid' },
        { field: 'date', message: 'deadlines:errors.dueDateInvalid' },
        { field: 'kind', message: 'deadlines:errors.kindInvalid' },
      ],
    });
    await expect(
      calendars.addException({
        country: 'GR',
        municipalityId: m2,
        date: '2032-01-05',
        kind: 'extra_holiday',
      }),
    ).rejects.toMatchObject({
      fields: [
        {
          field: 'municipalityId',
          message: 'deadlines:errors.municipalityCountry',
          params: { country: 'GR' },
        },
      ],
    });
    const ex = await calendars.addException({
      country: 'LV',
      municipalityId: m2,
      date: '2032-01-05',
      kind: 'extra_holiday',
    });
    await expect(
      calendars.addException({
        country: 'LV',
        municipalityId: m2,
        date: '2032-01-05',
        kind: 'extra_working_day',
      }),
    ).rejects.toMatchObject({
      fields: [{ field: 'date', message: 'deadlines:errors.exceptionExists' }],
    });
    await calendars.removeException(ex.id);
  });

  it('warn once, escalate when missed, and show on the dashboard with days overdue', async () => {
    const d = await act.startDeadline({
      municipalityId: m2,
      caseId: caseId(),
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: '2026-03-02T07:00:00Z',
    });
    expect(d.dueOn).toBe('2026-03-16');
    const ref = { municipalityId: m2, deadlineId: d.deadlineId };
    expect((await act.warnDeadline(ref)).warned).toBe(true);
    expect((await act.warnDeadline(ref)).warned).toBe(false);
    expect((await act.escalateDeadline({ ...ref, at: '2026-03-16T20:00:00Z' })).escalated).toBe(
      false,
    ); // 22:00 in Riga, still due day
    const esc = await act.escalateDeadline({ ...ref, at: '2026-03-16T22:30:00Z' });
    expect(esc).toMatchObject({ escalated: true, status: 'missed' });
    expect((await act.escalateDeadline({ ...ref, at: '2026-03-18T08:00:00Z' })).escalated).toBe(
      false,
    );
    const alerts = await tenantDb.run(m2, (em) =>
      em.getRepository(Alert).findBy({ subjectId: d.deadlineId }),
    );
    expect(alerts.map((a) => a.kind).sort()).toEqual(['deadline.missed', 'deadline.warning']);

    const soon = await act.startDeadline({
      municipalityId: m2,
      caseId: caseId(),
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: '2026-03-06T07:00:00Z',
    });
    const board = await h.app
      .get(DeadlineDashboardService)
      .dashboard(m2, new Date('2026-03-20T10:00:00Z'));
    expect(board.today).toBe('2026-03-20');
    const overdue = board.overdue.find((o) => o.id === d.deadlineId);
    expect(overdue).toMatchObject({ daysOverdue: 4, workingDaysOverdue: 4, status: 'missed' });
    expect(soon.dueOn).toBe('2026-03-20');
    expect(board.dueThisWeek.map((x) => x.id)).toContain(soon.deadlineId);
    expect(board.dueThisWeek.map((x) => x.id)).not.toContain(d.deadlineId);
  });

  it('are invisible to another municipality', async () => {
    const d = await deadlines.start({
      municipalityId: m1,
      caseId: caseId(),
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: new Date(),
    });
    await expect(deadlines.get(m2, d.id)).rejects.toThrow(/not found/);
  });

  it('mark a deadline met and report lateness', async () => {
    const d = await act.startDeadline({
      municipalityId: m1,
      caseId: caseId(),
      key: 'decision',
      ruleKey: 'tree-cutting-permit.decision',
      startedAt: '2026-03-02T07:00:00Z',
    });
    const met = await act.markMet({
      municipalityId: m1,
      deadlineId: d.deadlineId,
      at: '2026-03-10T10:00:00Z',
    });
    expect(met).toMatchObject({ status: 'met', late: false });
    const board = await h.app
      .get(DeadlineDashboardService)
      .dashboard(m1, new Date('2026-03-20T10:00:00Z'));
    expect(board.overdue.map((o) => o.id)).not.toContain(d.deadlineId);
  });
});
