import { Not } from 'typeorm';
import type { ParsedMail } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { DeliveryActivities, DeliveryPath } from '../../../activities/delivery';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { Alert } from '../../../src/delivery/alerts/alert.entity';
import { I18nService } from '../../../src/platform/i18n/i18n.service';
import {
  DELIVERY_TIMELINE,
  DeliverySender,
  type DeliveryTimeline,
} from '../../../src/delivery/delivery-sender';
import { DELIVERY_ACTIVITIES, DELIVERY_PATH } from '../../../src/delivery/delivery.module';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { OutboxService } from '../../../src/delivery/outbox.service';
import { EADDRESS_PORT } from '../../../src/integrations/e-adrese/e-address.port';
import type { EAddressSimulator } from '../../../src/integrations/e-adrese/simulator/e-address.simulator';
import { eventually } from '../../support/engine-harness';
import { signInCitizen, signInStaff } from '../../support/session';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { startSmtpCapture } from './support';
import { DocumentService } from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';

/**
 * The legal effect of a delivery on the real app (DBOS, registers and e-address simulators, SMTP
 * capture) with the controllable clock moved to fixed dates: the deemed-notified day per channel
 * on the Latvian calendar, the appeal period of a decision, and the one fallback to the next
 * channel when a message fails for good, as the case page and the dead-letter view show them.
 */
jest.setTimeout(180_000);

let h: ResidenceHarness;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let mails: ParsedMail[] = [];
let act: DeliveryActivities;
let path: DeliveryPath;
let sender: DeliverySender;
let eadrese: EAddressSimulator;

/** Moves the app's clock forward to an instant (it never moves back). */
const advanceTo = async (iso: string) => {
  const ms = Date.parse(iso) - h.clock.now().getTime();
  if (ms < 0) throw new Error(`the clock is already past ${iso}`);
  await h.clock.advance(ms);
};
const rows = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    // Status reports to the services platform (portal_status) are outbox rows too, not notices.
    em.find(OutboxMessage, {
      where: { caseId, channel: Not('portal_status') },
      order: { createdAt: 'ASC' },
    }),
  );
const timeline = (caseId: string, kind: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(TimelineEvent, { where: { caseId, kind }, order: { at: 'ASC' } }),
  );
const newCase = async (): Promise<string> =>
  (
    await h.cases.open({
      municipalityId: h.municipalityId,
      processKey: 'reference',
      title: 'Delivery',
      applicantRef: null,
      actor: 'system',
      input: { subjectRef: `flagged-${randomUUID()}` },
    })
  ).id;
const message = {
  subjectKey: 'residence:messages.annulmentDecision.subject',
  bodyKey: 'residence:messages.annulmentDecision.body',
  vars: { address: 'Ūdens iela 7 - 3, Tukums', outcome: 'annulled', from: '2027-01-01' },
};

beforeAll(async () => {
  smtp = await startSmtpCapture();
  mails = smtp.mails;
  h = await startResidenceApp({ SMTP_URL: smtp.url, DELIVERY_MAX_ATTEMPTS: '2' });
  act = h.running.app.get(DELIVERY_ACTIVITIES);
  path = h.running.app.get(DELIVERY_PATH);
  sender = h.running.app.get(DeliverySender);
  eadrese = h.running.app.get(EADDRESS_PORT);
});
afterAll(() => Promise.all([h?.close(), smtp?.close()]));
// The sender keeps the app's controllable clock: only the gateway's faults are reset.
beforeEach(() => eadrese.faults.reset());

describe('legal effect of delivery', () => {
  it('shows the resident in the portal when the invitation is deemed notified and until when to answer, in lv, en and el', async () => {
    await seedDevResidents(h);
    const { caseId } = await annul(DEV_CITIZEN.code);
    const { notifiedOn } = (await responsePeriod(caseId)) as { notifiedOn: string };
    const b = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
    const page = async (lang: string) =>
      (await b.get(`/residence/annulments/${caseId}?lang=${lang}`)).text();
    const en = await page('en');
    expect(en).toContain('data-testid="notices"');
    expect(en).toMatch(/Invitation to show a legal basis[\s\S]*Deemed notified on/);
    expect(en).toMatch(/data-testid="respond-by"[\s\S]*the day the invitation is deemed notified/);
    expect(en).toContain(notifiedOn.slice(0, 4));
    expect(await page('lv')).toMatch(
      /Aicinājums apliecināt tiesisko pamatu[\s\S]*Uzskatāms par paziņotu/,
    );
    expect(await page('el')).toMatch(
      /Κλήση να αποδείξετε νόμιμη βάση[\s\S]*Θεωρείται κοινοποιημένο/,
    );
    await h.cases.cancel('system', h.municipalityId, caseId, 'test over');
  });

  it('annulment v4: an invitation sent to an e-address on a Friday is deemed notified on Tuesday, the 14 days to answer count from then, and the decision records its appeal period', async () => {
    await advanceTo('2027-01-08T08:00:00Z'); // Friday 10:00 in Riga
    const tenant = await h.sim.person('1990-03-03', 'Anna', 'Liepa');
    await h.sim.residence(tenant, (await h.sim.apartment()).code, '2025-03-01');
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Mail returned',
      enteredBy: h.caseworker.accountId,
    });
    expect((await h.engine.describe(caseId))?.processVersion).toBe(4);
    const [period] = await eventually(
      async () =>
        (await timeline(caseId, 'residence.response-period')).length
          ? timeline(caseId, 'residence.response-period')
          : null,
      30_000,
      'response period',
    );
    // Sent Friday 8 Jan → 2nd working day Tuesday 12 Jan; 14 calendar days → Tuesday 26 Jan.
    expect(period.data).toMatchObject({
      notifiedOn: '2027-01-12',
      lastDay: '2027-01-26',
      channel: 'e_address',
      period: { value: 14, unit: 'days' },
      respondBy: '2027-01-26T21:59:59.999Z',
    });
    const [invitation] = await rows(caseId);
    expect(invitation).toMatchObject({
      channel: 'e_address',
      noticeKey: 'basis-invitation',
      deemedNotifiedOn: '2027-01-12',
      appealUntil: null,
    });
    expect(await timeline(caseId, 'delivery.deemed_notified')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          deemedNotifiedOn: '2027-01-12',
          rule: expect.objectContaining({
            key: 'delivery.deemed-notified.e-address',
            value: 2,
            unit: 'working_days',
          }),
        }),
      }),
    ]);

    // Late on the last day (22:00 in Riga) the person may still answer: the run still waits.
    await advanceTo('2027-01-26T20:00:00Z');
    expect((await h.engine.describe(caseId))?.status).toBe('running');
    expect(await timeline(caseId, 'residence.no-response')).toEqual([]);
    expect((await h.cases.get(h.municipalityId, caseId)).stage).toBe('awaiting-response');

    await advanceTo('2027-01-27T08:00:00Z'); // Wednesday
    const task = await h.openTask(caseId, 'annulment-review');
    expect(await timeline(caseId, 'residence.no-response')).toHaveLength(1);
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'annul',
      basisAtDeclaration: false,
      reason: 'No basis',
    });
    // Issuing and sealing the decision PDF can take a while on a loaded machine.
    await eventually(
      async () => ((await h.engine.describe(caseId))?.status === 'completed' ? true : null),
      90_000,
      'the run to finish',
    );

    // The decision, sent Wednesday 27 Jan, takes effect Friday 29 Jan; one month → Sunday 28 Feb → Monday 1 March.
    const [decision] = (await rows(caseId)).filter((m) => m.purpose === 'decision');
    expect(decision).toMatchObject({
      channel: 'e_address',
      deemedNotifiedOn: '2027-01-29',
      appealUntil: '2027-03-01',
    });
    const effect = (await timeline(caseId, 'delivery.deemed_notified')).map((e) => e.data);
    expect(effect).toContainEqual(
      expect.objectContaining({
        appealFrom: '2027-01-29',
        appealUntil: '2027-03-01',
        appealRule: expect.objectContaining({
          key: 'delivery.appeal-period',
          value: 1,
          unit: 'months',
        }),
      }),
    );

    // The staff case page shows both dates in the delivery section and on the timeline.
    const staff = await signInStaff(h.running.app, h.municipalityId, ['caseworker']);
    const page = (await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200)).text;
    expect(page).toMatch(/data-testid="appeal">Appeal period from [^<]*2027[^<]* until [^<]*2027/);
    expect(page).toContain('data-testid="deemed"');
    expect(page).toContain('data-testid="response-period"');
    expect(page).toMatch(/data-testid="deemed-notified">[^<]*appeal period from/);
  });

  it('counts working days on the Latvian calendar (Līgo and Jāņi) and a letter’s legal effect from its posting day', async () => {
    await advanceTo('2027-06-22T07:00:00Z'); // Tuesday 10:00 in Riga; 23 and 24 June are holidays
    const me = await h.sim.person('1985-05-05', 'Ilze', 'Kalna');
    const caseId = await newCase();
    const r = await act.notifyParty({
      caseId,
      municipalityId: h.municipalityId,
      key: `notice:${me}`,
      party: { personalCode: me },
      message,
    });
    expect(r).toMatchObject({ channel: 'e_address', status: 'sent' });
    expect((await rows(caseId))[0].deemedNotifiedOn).toBe('2027-06-28'); // Fri 25 (1st), Mon 28 (2nd)

    const other = await h.sim.person('1986-06-06', 'Pēteris', 'Lapa');
    eadrese.deactivate(other);
    const letter = await act.deliverDocuments({
      caseId,
      municipalityId: h.municipalityId,
      key: `decision:${other}`,
      party: {
        personalCode: other,
        name: 'Pēteris Lapa',
        postalAddress: 'Pils iela 1, Tukums, LV-3101',
      },
      message,
      documentIds: await issued(caseId),
    });
    expect(letter).toMatchObject({ channel: 'post', status: 'awaiting_post' });
    const posted = await sender.markPosted(
      h.municipalityId,
      letter!.messageId,
      h.caseworker.accountId,
    );
    // Posted Tuesday 22 June: the 7th day is Tuesday 29 June (calendar days, not moved); appeal one month on.
    expect(posted).toMatchObject({
      status: 'sent',
      deemedNotifiedOn: '2027-06-29',
      appealUntil: '2027-07-29',
    });
  });

  it('falls back once to e-mail when the e-address refuses a decision; the case page and the dead-letter view show the fallback and why', async () => {
    const me = await h.sim.person('1979-07-07', 'Marta', 'Ozola');
    const caseId = await newCase();
    const email = `marta.${randomUUID().slice(0, 8)}@example.lv`;
    // Routed to her activated e-address; deactivated before the first attempt: the gateway refuses (permanent).
    await path.run(h.municipalityId, async (_em, notify) => {
      const ch = await notify({
        caseId,
        municipalityId: h.municipalityId,
        key: 'decision:marta',
        party: { personalCode: me, email },
        purpose: 'decision',
        text: () => ({ subject: 'Lēmums', body: 'Lēmums pielikumā.' }),
      });
      eadrese.deactivate(me);
      return ch;
    });
    const [dead, fallback] = await rows(caseId);
    // No declared residence in the registers: e-mail is the only other way to reach her.
    expect(dead).toMatchObject({
      channel: 'e_address',
      status: 'dead',
      fallbackRoutes: [{ channel: 'email', recipient: email }],
    });
    expect(fallback).toMatchObject({
      channel: 'email',
      recipient: email,
      status: 'sent',
      fallbackOf: dead.id,
      fallbackReason: expect.stringMatching(/no activated e-address/),
      noticeKey: 'decision:marta',
      idempotencyKey: `${dead.idempotencyKey}:fallback`,
      deemedNotifiedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      appealUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(mails.filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);
    expect((await timeline(caseId, 'delivery.fallback')).map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 'e_address', to: 'email', fallbackId: fallback.id }),
    ]);

    // Once: the dead message retried and dead again makes no second fallback.
    await h.running.app.get(OutboxService).retryDead(h.municipalityId, dead.id, 'admin');
    expect(await sender.send(h.municipalityId, dead.id)).toMatchObject({
      status: 'dead',
      fallbackId: null,
    });
    expect(await rows(caseId)).toHaveLength(2);
    expect(mails.filter((m) => JSON.stringify(m.to).includes(email))).toHaveLength(1);

    const staff = await signInStaff(h.running.app, h.municipalityId, ['caseworker']);
    const page = (await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200)).text;
    expect(page).toMatch(/data-testid="fell-back">Sent again by: E-mail/);
    expect(page).toMatch(
      /data-testid="fallback-of">Sent instead of e-address because: [^<]*no activated e-address/,
    );
    expect(page).toMatch(/data-testid="fallback">e-address → E-mail: [^<]*no activated e-address/);

    const admin = await signInStaff(h.running.app, h.municipalityId, ['administrator']);
    const view = (await admin.agent.get('/admin/deliveries?lang=en').expect(200)).text;
    expect(view).toMatch(/data-testid="dead-fallback">Sent instead by E-mail \(Sent\)/);
  });

  it('raises a warning, not a critical alert, for a dead message that fell back to the next channel; critical only when nothing went out', async () => {
    const refused = async (email?: string) => {
      const me = await h.sim.person('1981-02-02', 'Inese', 'Kalniņa');
      const caseId = await newCase();
      await path.run(h.municipalityId, async (_em, notify) => {
        const ch = await notify({
          caseId,
          municipalityId: h.municipalityId,
          key: `decision:${me}`,
          party: { personalCode: me, ...(email ? { email } : {}) },
          purpose: 'decision',
          text: () => ({ subject: 'Lēmums', body: 'Lēmums pielikumā.' }),
        });
        eadrese.deactivate(me);
        return ch;
      });
      const [dead] = await rows(caseId);
      expect(dead).toMatchObject({ channel: 'e_address', status: 'dead' });
      const alerts = await h.tenantDb.run(h.municipalityId, (em) =>
        em.find(Alert, { where: { subjectId: dead.id }, order: { createdAt: 'ASC' } }),
      );
      return { dead, alerts };
    };

    const fellBack = await refused(`inese.${randomUUID().slice(0, 8)}@example.lv`);
    expect(fellBack.alerts).toEqual([
      expect.objectContaining({
        kind: 'delivery.fell_back',
        severity: 'warning',
        messageKey: 'delivery:alert.fellBack',
        params: expect.objectContaining({ channel: 'e_address', fallbackChannel: 'email' }),
      }),
    ]);
    // Retried and dead again: its fallback went out before, so still no critical alert.
    await h.running.app.get(OutboxService).retryDead(h.municipalityId, fellBack.dead.id, 'admin');
    await sender.send(h.municipalityId, fellBack.dead.id);
    const again = await h.tenantDb.run(h.municipalityId, (em) =>
      em.find(Alert, { where: { subjectId: fellBack.dead.id } }),
    );
    expect(again.map((a) => a.severity)).toEqual(['warning', 'warning']);

    const nowhere = await refused();
    expect(nowhere.dead.fallbackRoutes).toEqual([]);
    expect(nowhere.alerts).toEqual([
      expect.objectContaining({ kind: 'delivery.dead', severity: 'critical' }),
    ]);
  });

  it('falls back to a letter when the e-address gateway reports a sent invitation as not delivered; the deemed date is withdrawn', async () => {
    const me = await h.sim.person('1977-08-08', 'Juris', 'Bērziņš');
    const caseId = await newCase();
    const r = await act.notifyParty({
      caseId,
      municipalityId: h.municipalityId,
      key: `notice:${me}`,
      party: {
        personalCode: me,
        name: 'Juris Bērziņš',
        postalAddress: 'Pils iela 1, Tukums, LV-3101',
      },
      message,
    });
    expect(r).toMatchObject({ channel: 'e_address', status: 'sent' });
    const [sent] = await rows(caseId);
    expect(sent.deemedNotifiedOn).not.toBeNull();
    expect(sent.fallbackRoutes).toEqual([
      { channel: 'post', recipient: 'Juris Bērziņš\nPils iela 1, Tukums, LV-3101' },
    ]);

    eadrese.failDeliveriesTo(me);
    const o = await sender.refreshStatus(h.municipalityId, sent.id);
    expect(o).toMatchObject({
      event: 'delivery.failed_report',
      status: 'dead',
      deemedNotifiedOn: null,
      fallbackId: expect.any(String),
    });
    const [dead, letter] = await rows(caseId);
    expect(dead.lastError).toMatch(/reported the message as failed/);
    expect(letter).toMatchObject({
      channel: 'post',
      status: 'awaiting_post',
      fallbackOf: dead.id,
      noticeKey: `notice:${me}`,
    });
    // Asked again, nothing changes and no second letter is written.
    expect(await sender.refreshStatus(h.municipalityId, sent.id)).toMatchObject({
      event: 'delivery.unchanged',
    });
    expect(await rows(caseId)).toHaveLength(2);
    expect((await timeline(caseId, 'delivery.failed_report')).length).toBe(1);
    expect((await timeline(caseId, 'delivery.fallback')).map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 'e_address', to: 'post', fallbackId: letter.id }),
    ]);
  });

  it('a notice to an English-speaking party and its fallback letter are both in the municipality’s official language', async () => {
    const me = await h.sim.person('1976-06-06', 'John', 'Smith');
    const caseId = await newCase();
    const r = await act.notifyParty({
      caseId,
      municipalityId: h.municipalityId,
      key: `notice:${me}`,
      party: {
        personalCode: me,
        name: 'John Smith',
        postalAddress: 'Pils iela 2, Tukums, LV-3101',
        lang: 'en',
      },
      message,
    });
    expect(r).toMatchObject({ channel: 'e_address', status: 'sent' });
    const [sent] = await rows(caseId);
    const i18n = h.running.app.get(I18nService);
    expect(sent).toMatchObject({
      lang: 'lv',
      subject: i18n.t('lv', message.subjectKey, message.vars),
    });

    eadrese.failDeliveriesTo(me);
    await sender.refreshStatus(h.municipalityId, sent.id);
    const [, letter] = await rows(caseId);
    expect(letter).toMatchObject({
      channel: 'post',
      fallbackOf: sent.id,
      lang: 'lv',
      subject: i18n.t('lv', message.subjectKey, message.vars),
      body: i18n.t('lv', message.bodyKey, message.vars),
    });
    expect(letter.subject).toBe(sent.subject);
  });

  it('annulment v4 by letter: the run waits until staff post the invitation; the answer period counts from the 7th day after posting', async () => {
    await advanceTo('2027-09-06T07:00:00Z'); // Monday 10:00 in Riga
    const tenant = await h.sim.person('1991-09-09', 'Līga', 'Krūmiņa');
    await h.sim.residence(tenant, (await h.sim.apartment()).code, '2025-03-01');
    eadrese.deactivate(tenant);
    const { caseId } = await annul(tenant);
    const letter = await eventually(
      async () => (await rows(caseId)).find((m) => m.status === 'awaiting_post') ?? null,
      30_000,
      'letter to print',
    );
    expect(letter).toMatchObject({
      channel: 'post',
      noticeKey: 'basis-invitation',
      deemedNotifiedOn: null,
    });
    await advanceTo('2027-09-08T07:00:00Z'); // posted on Wednesday
    expect(await timeline(caseId, 'residence.response-period')).toEqual([]);
    expect((await h.cases.get(h.municipalityId, caseId)).stage).not.toBe('awaiting-response');
    await sender.markPosted(h.municipalityId, letter.id, h.caseworker.accountId);
    const period = await responsePeriod(caseId);
    expect(period).toMatchObject({
      notifiedOn: '2027-09-15',
      lastDay: '2027-09-29',
      channel: 'post',
    });
    await h.cases.cancel('system', h.municipalityId, caseId, 'test over');
  });

  it('annulment v4 when the signal is lost: at the decision deadline the run reads the deemed date from the outbox', async () => {
    await advanceTo('2027-10-04T07:00:00Z'); // Monday
    const port = h.running.app.get<symbol, DeliveryTimeline>(DELIVERY_TIMELINE, { strict: false });
    const lost = jest.spyOn(port, 'signalRun').mockResolvedValue(undefined);
    try {
      const tenant = await h.sim.person('1992-10-10', 'Rūta', 'Kalniņa');
      await h.sim.residence(tenant, (await h.sim.apartment()).code, '2025-03-01');
      const { caseId } = await annul(tenant);
      await eventually(
        async () => ((await rows(caseId))[0]?.status === 'sent' ? true : null),
        30_000,
        'invitation sent',
      );
      // The signal goes after the commit that recorded the send: wait for the (dropped) attempt.
      await eventually(async () => (lost.mock.calls.length ? true : null), 30_000, 'the signal');
      expect(await timeline(caseId, 'residence.response-period')).toEqual([]);
      await h.clock.advance(70 * 86_400_000); // past the decision deadline (30 working days)
      expect(await responsePeriod(caseId)).toMatchObject({
        notifiedOn: '2027-10-06',
        lastDay: '2027-10-20',
      });
      const task = await h.openTask(caseId, 'annulment-review');
      expect(task.step).toBe('annulment-review');
      await h.cases.cancel('system', h.municipalityId, caseId, 'test over');
    } finally {
      lost.mockRestore();
    }
  });
});

const annul = (personCode: string) =>
  h.residence.startAnnulment({
    municipalityId: h.municipalityId,
    personCode,
    initiatedBy: 'ex-officio',
    groundCode: 'no-legal-basis',
    grounds: 'Mail returned',
    enteredBy: h.caseworker.accountId,
  });
const responsePeriod = async (caseId: string) =>
  (
    await eventually(
      async () => {
        const [e] = await timeline(caseId, 'residence.response-period');
        return e ?? null;
      },
      30_000,
      'response period',
    )
  ).data;

/** A sealed notice issued in the case (a letter encloses it). */
async function issued(caseId: string): Promise<string[]> {
  const doc = await h.running.app.get(DocumentService).issue({
    municipalityId: h.municipalityId,
    caseId,
    stepKey: `decision-${randomUUID()}`,
    templateKey: 'generic/notice',
    language: 'lv',
    data: TEMPLATES['generic/notice'].sample,
  });
  return [doc.id];
}
