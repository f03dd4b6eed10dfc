import { randomUUID } from 'node:crypto';
import { Case } from '../../../src/cases/case.entity';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

let h: ResidenceHarness;
let caseworker: Session;
beforeAll(async () => {
  h = await startResidenceApp();
  caseworker = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-declaration' },
  ]);
});
afterAll(() => h?.close());

const caseOf = (processKey: string, title: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.save(
      em.create(Case, {
        municipalityId: h.municipalityId,
        number: `LNK-${randomUUID().slice(0, 8)}`,
        processKey,
        processVersion: 1,
        title,
      }),
    ),
  );

describe('linked cases on the staff case page', () => {
  it('shows the links both ways with the link type in lv, en and el, and only counts cases the viewer may not open', async () => {
    const decision = await caseOf('residence-declaration', 'Decision case');
    const payment = await caseOf('residence-declaration', 'Payment case');
    const hidden = await caseOf('reference', 'Another process');
    await h.cases.link('system', {
      municipalityId: h.municipalityId,
      fromCaseId: payment.id,
      toCaseId: decision.id,
      type: 'pays',
    });
    await h.cases.link('system', {
      municipalityId: h.municipalityId,
      fromCaseId: hidden.id,
      toCaseId: decision.id,
      type: 'related',
    });

    const page = async (id: string, lang: string) =>
      (await caseworker.agent.get(`/workspace/cases/${id}?lang=${lang}`).expect(200)).text;
    const row = (html: string, id: string) =>
      new RegExp(`data-linked-case="${id}" data-relation="(\\w+)">\\s*<td[^>]*>([^<]+)</td>`)
        .exec(html)
        ?.slice(1);

    const en = await page(decision.id, 'en');
    expect(row(en, payment.id)).toEqual(['incoming', 'Paid by']);
    expect(en).toContain(payment.number);
    expect(en).not.toContain(hidden.number);
    expect(en).toContain('1 further linked case is not shown');
    expect(row(await page(decision.id, 'lv'), payment.id)).toEqual(['incoming', 'Apmaksāta ar']);
    expect(row(await page(decision.id, 'el'), payment.id)).toEqual(['incoming', 'Πληρώθηκε με']);
    expect(row(await page(payment.id, 'en'), decision.id)).toEqual(['outgoing', 'Pays for']);
    expect(row(await page(payment.id, 'lv'), decision.id)).toEqual(['outgoing', 'Apmaksā']);
  });
});
