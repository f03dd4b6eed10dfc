import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { Case } from '../../../src/cases/case.entity';
import { Task } from '../../../src/cases/task.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import {
  IncomingMessage,
  IncomingMessageFile,
} from '../../../src/correspondence/incoming-message.entity';
import { IncomingMailService } from '../../../src/correspondence/incoming-mail.service';
import { ResidenceAttachment } from '../../../src/modules/residence/residence-declaration.entity';
import type { StoredMessage } from '../../../src/integrations/e-adrese/stand-in/stand-in.store';
import { createMunicipality } from '../../factories/municipalities';
import {
  requestInformation,
  submitApplication,
} from '../../factories/social-assistance-applications';
import { startDivStandIn, type RunningStandIn } from '../../support/div-stand-in';
import { eventually } from '../../support/engine-harness';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(300_000);

/**
 * Issue 14 item 4 over real sockets: residents write to the municipality's e-address on the DIV
 * stand-in (its inbox page, or its control hook), the app's incoming-mail poller takes the
 * messages through the DIV adapter (GetMessageList, GetMessage, ConfirmMessage) and either
 * continues the case's run on the real DBOS engine or leaves a registration for a caseworker.
 */
describe('incoming e-address mail', () => {
  let standIn: RunningStandIn;
  let h: ResidenceHarness;
  let mail: IncomingMailService;
  let eAddress: string;
  let otherMunicipality: string;

  beforeAll(async () => {
    standIn = await startDivStandIn();
    h = await startResidenceApp({
      EADRESE_MODE: 'div',
      EADRESE_ENDPOINT: standIn.endpoint,
      EADRESE_CERT_P12: standIn.pki.clientP12,
      EADRESE_CERT_PASSWORD: standIn.pki.p12Password,
      EADRESE_SERVER_CA: standIn.pki.caCert,
      INCOMING_MAIL_POLL_MS: '0',
    });
    eAddress = `_DEFAULT@9${randomBytes(5).toString('hex').replace(/\D/g, '7').padEnd(10, '1').slice(0, 10)}`;
    await h.owner.query(`UPDATE municipalities SET e_address = $1 WHERE id = $2`, [
      eAddress,
      h.municipalityId,
    ]);
    otherMunicipality = (
      await createMunicipality(h.owner, {
        eAddress: `_DEFAULT@8${randomBytes(5).toString('hex').replace(/\D/g, '3').padEnd(10, '2').slice(0, 10)}`,
      })
    ).id;
    mail = h.running.app.get(IncomingMailService);
  });
  afterAll(async () => {
    await h?.close();
    await standIn?.stop();
  });

  const pdfBytes = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n`);
  const rows = (where: { id?: string; divMessageId?: string } = {}) =>
    h.tenantDb.run(h.municipalityId, (em) =>
      em.find(IncomingMessage, { where, order: { receivedAt: 'ASC' } }),
    );
  const inbound = (body: Record<string, unknown>) =>
    standIn.control<{ messageId: string }>('POST', '/_control/inbound', { to: eAddress, ...body });
  const storedAtDiv = async (messageId: string) =>
    (await standIn.control<StoredMessage[]>('GET', '/_control/messages')).find(
      (m) => m.messageId === messageId,
    );

  /** A declaration whose review asked for documents; resolves once the run waits for them. */
  async function awaitingDocuments(): Promise<{ caseId: string; number: string; me: string }> {
    const owner = await h.sim.person('1951-03-03');
    const me = await h.sim.person('1993-09-09');
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const { caseId } = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      applicantCode: me,
      personCodes: [me],
      addressCode: flat.code,
      basis: 'lease',
      enteredBy: 'citizen-account',
    });
    const review = await h.openTask(caseId, 'review:1');
    await h.tasks.complete(h.caseworker, review.id, {
      outcome: 'request-documents',
      documentsRequested: 'The lease contract',
    });
    await eventually(
      async () => (await h.cases.get(h.municipalityId, caseId)).stage === 'awaiting-documents',
      20_000,
      'awaiting documents',
    );
    const c = await h.cases.get(h.municipalityId, caseId);
    return { caseId, number: c.number, me };
  }

  it("the resident replies on their e-address page to the documents request: the declaration's run continues once, with the attachment, even when the confirmation to DIV is lost", async () => {
    const { caseId, me } = await awaitingDocuments();
    // The request reached the resident's e-address; they press "Reply" there.
    const inbox = await eventually(
      async () => {
        const html = await (await fetch(`${standIn.web}/inbox?code=${me}`)).text();
        return html.includes('data-testid="reply"') ? html : null;
      },
      20_000,
      'documents request in the resident inbox',
    );
    const replyHref = /data-testid="reply" href="([^"]+)"/.exec(inbox)![1].replace(/&amp;/g, '&');
    const writePage = await (await fetch(`${standIn.web}${replyHref}`)).text();
    const inReplyTo = /name="inReplyTo" value="([^"]*)"/.exec(writePage)![1];
    const to = /name="to" value="([^"]*)"/.exec(writePage)![1];
    expect(to).toBe(eAddress);
    expect(inReplyTo).not.toBe('');
    const lease = pdfBytes('lease contract');
    const form = new FormData();
    form.set('code', me);
    form.set('to', to);
    form.set('inReplyTo', inReplyTo);
    form.set('title', 'Re: dokumenti');
    form.set('text', 'Pielikumā īres līgums.');
    form.append('files', new Blob([lease], { type: 'application/pdf' }), 'ires-ligums.pdf');
    const sent = await fetch(`${standIn.web}/write`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(sent.status).toBe(303);
    const divMessageId = /sent=([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')![1];

    // Stored and routed, then the confirmation to DIV fails: DIV lists the message again.
    await standIn.control('POST', '/_control/faults', {
      operation: 'ConfirmMessage',
      kind: 'reset',
      times: 1,
    });
    expect(await mail.poll()).toMatchObject({ failed: 1, confirmed: 0 });
    expect((await storedAtDiv(divMessageId))?.confirmed).toBeNull();
    const second = await mail.poll();
    expect(second).toMatchObject({ fetched: 1, stored: 0, confirmed: 1 });
    expect((await storedAtDiv(divMessageId))?.confirmed).toBe('RecipientAccepted');
    expect(await mail.poll()).toMatchObject({ fetched: 0 });

    const [row] = await rows({ divMessageId });
    expect(row).toMatchObject({
      status: 'continued',
      caseId,
      senderCode: me,
      references: [inReplyTo],
    });
    expect(row.signalledAt).not.toBeNull();
    expect(row.confirmedAt).not.toBeNull();
    expect(await rows({ divMessageId })).toHaveLength(1);

    // The run went on to the second review with the file the resident sent, exactly once.
    await h.openTask(caseId, 'review:2');
    const uploads = await h.tenantDb.run(h.municipalityId, (em) =>
      em.find(ResidenceAttachment, { where: { caseId } }),
    );
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({
      fileName: 'ires-ligums.pdf',
      uploadedBy: 'e-address',
      sha256: createHash('sha256').update(lease).digest('hex'),
    });
    const tasks = await h.tenantDb.run(h.municipalityId, (em) =>
      em.count(Task, { where: { caseId, step: 'review:2' } }),
    );
    expect(tasks).toBe(1);
    const kinds = (
      await h.tenantDb.run(h.municipalityId, (em) => em.find(TimelineEvent, { where: { caseId } }))
    ).map((t) => t.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['correspondence.continued', 'residence.documents-supplied']),
    );
  });

  it('the person concerned answers an annulment by e-address quoting the case number: the run takes the response and the caseworker keeps the declaration', async () => {
    const owner = await h.sim.person('1958-06-06', 'Jānis', 'Egle');
    const tenant = await h.sim.person('1987-04-04', 'Marta', 'Vītola');
    const flat = await h.sim.apartment([{ code: owner, name: 'Jānis Egle' }]);
    await h.sim.residence(tenant, flat.code, '2025-02-01');
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Returned mail',
      enteredBy: h.caseworker.accountId,
    });
    const { number } = await h.cases.get(h.municipalityId, caseId);
    const { messageId } = await inbound({
      from: `_PRIVATE@${tenant.replace('-', '')}`,
      title: `Par lietu ${number}`,
      text: 'Es šeit dzīvoju, pielikumā īres līgums.',
      files: [
        {
          name: 'ires-ligums.pdf',
          mimeType: 'application/pdf',
          base64: pdfBytes('lease').toString('base64'),
        },
      ],
    });
    await mail.poll();
    expect(await rows({ divMessageId: messageId })).toMatchObject([
      { status: 'continued', caseId },
    ]);
    const task = await h.openTask(caseId);
    await h.tasks.complete(h.caseworker, task.id, { outcome: 'keep', reason: 'Valid lease' });
    expect((await h.finished(caseId)).result).toMatchObject({ outcome: 'kept', responded: true });
  });

  it('the applicant answers a social-assistance request for information by e-address with a bank statement: the file is stored with the answer, linked to the request, and the run continues', async () => {
    const me = await h.sim.person('1984-05-05', 'Ilze', 'Ozola');
    const app = await submitApplication(h.running.app, {
      municipalityId: h.municipalityId,
      accountId: randomUUID(),
      applicant: { code: me, given: 'Ilze', family: 'Ozola', birthDate: '1984-05-05' },
      data: { paymentAccount: 'LV80BANK0000435195001' },
    });
    const caseId = app.caseId!;
    await requestInformation(h, caseId, 'Bank statement for November');
    const { number } = await h.cases.get(h.municipalityId, caseId);
    const statement = pdfBytes('bank statement');
    const { messageId } = await inbound({
      from: `_PRIVATE@${me.replace('-', '')}`,
      title: `Par lietu ${number}`,
      text: 'Pielikumā bankas konta izraksts.',
      files: [
        {
          name: 'konta-izraksts.pdf',
          mimeType: 'application/pdf',
          base64: statement.toString('base64'),
        },
      ],
    });
    await mail.poll();
    expect(await rows({ divMessageId: messageId })).toMatchObject([
      { status: 'continued', caseId },
    ]);
    await h.openTask(caseId, 'review:2');
    const [stored] = await h.tenantDb.run(
      h.municipalityId,
      (em) =>
        em.query(
          `SELECT b.file_name, b.sha256, b.uploaded_by, b.application_id, r.answer, r.round
           FROM social_assistance_bills b
           JOIN social_assistance_information_requests r ON r.id = b.request_id
          WHERE r.case_id = $1`,
          [caseId],
        ) as Promise<Record<string, unknown>[]>,
    );
    expect(stored).toMatchObject({
      file_name: 'konta-izraksts.pdf',
      sha256: createHash('sha256').update(statement).digest('hex'),
      uploaded_by: null,
      application_id: app.id,
      answer: 'Pielikumā bankas konta izraksts.',
      round: 1,
    });
    // The caseworker's case page shows the answer with its file.
    const staff = await signInStaff(h.running.app, h.municipalityId, [
      { role: 'caseworker', process: 'social-assistance' },
    ]);
    const page = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(page.text).toContain('Pielikumā bankas konta izraksts.');
    expect(page.text).toMatch(/data-testid="process-request-files">.*konta-izraksts\.pdf/);
  });

  it("a message quoting the case number from someone who is not the case's party does not continue the case", async () => {
    const { caseId, number } = await awaitingDocuments();
    const stranger = await h.sim.person('1970-01-01');
    const { messageId } = await inbound({
      from: `_PRIVATE@${stranger.replace('-', '')}`,
      title: `Dokumenti lietā ${number}`,
      text: 'Te ir līgums.',
      files: [
        {
          name: 'ligums.pdf',
          mimeType: 'application/pdf',
          base64: pdfBytes('x').toString('base64'),
        },
      ],
    });
    await mail.poll();
    const [row] = await rows({ divMessageId: messageId });
    expect(row).toMatchObject({ status: 'registration', caseId, routingNote: 'notParty' });
    expect((await h.cases.get(h.municipalityId, caseId)).stage).toBe('awaiting-documents');
    expect(
      await h.tenantDb.run(h.municipalityId, (em) =>
        em.count(ResidenceAttachment, { where: { caseId } }),
      ),
    ).toBe(0);
  });

  describe('registration of other messages', () => {
    let caseworker: Session;
    let row: IncomingMessage;
    const sender = '010190-12345';
    const letter = Buffer.from('%PDF-1.4\n% iesniegums\n');

    beforeAll(async () => {
      caseworker = await signInStaff(h.running.app, h.municipalityId, ['caseworker']);
    });

    it('an unmatched message, listed and fetched twice and polled concurrently, is one row and one registration', async () => {
      const { messageId } = await inbound({
        from: `_PRIVATE@${sender.replace('-', '')}`,
        title: 'Lūdzu izziņu',
        text: 'Lūdzu izsniegt izziņu par manu īpašumu.',
        files: [
          {
            name: 'iesniegums.pdf',
            mimeType: 'application/pdf',
            base64: letter.toString('base64'),
          },
        ],
      });
      await standIn.control('POST', '/_control/faults', {
        operation: 'ConfirmMessage',
        kind: 'fault',
        times: 1,
      });
      expect(await mail.poll()).toMatchObject({ failed: 1, confirmed: 0 });
      await Promise.allSettled([mail.poll(), mail.poll()]);
      await mail.poll();
      const found = await rows({ divMessageId: messageId });
      expect(found).toHaveLength(1);
      row = found[0];
      expect(row).toMatchObject({ status: 'registration', caseId: null, senderCode: sender });
      expect(row.confirmedAt).not.toBeNull();
      expect((await storedAtDiv(messageId))?.confirmed).toBe('RecipientAccepted');
      const files = await h.tenantDb.run(h.municipalityId, (em) =>
        em.find(IncomingMessageFile, { where: { messageId: row.id } }),
      );
      expect(files).toHaveLength(1);
      expect(files[0].content.equals(letter)).toBe(true);
      // Only the addressed municipality holds it.
      expect(await h.tenantDb.run(otherMunicipality, (em) => em.count(IncomingMessage))).toBe(0);
    });

    it('the caseworker sees it in "New incoming correspondence" (reads audited) and opens a case of a process through the normal case start', async () => {
      const inbox = await caseworker.agent.get('/workspace');
      const waiting = (await rows()).filter((r) => r.status === 'registration').length;
      expect(inbox.text).toContain(`data-testid="count-correspondence">${waiting}<`);
      const list = await caseworker.agent
        .get('/workspace/correspondence')
        .set('Accept-Language', 'en');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Lūdzu izziņu');
      const page = await caseworker.agent.get(`/workspace/correspondence/${row.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Lūdzu izsniegt izziņu par manu īpašumu.');
      expect(page.text).toContain(`_PRIVATE@${sender.replace('-', '')}`);
      const fileId = /\/files\/([0-9a-f-]{36})/.exec(page.text)![1];
      const file = await caseworker.agent
        .get(`/workspace/correspondence/${row.id}/files/${fileId}`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(file.status).toBe(200);
      expect((file.body as Buffer).equals(letter)).toBe(true);
      const audited = (await h.tenantDb.run(h.municipalityId, (em) =>
        em.query(`SELECT action, person_id FROM audit_log WHERE subject_id = $1`, [row.id]),
      )) as { action: string; person_id: string | null }[];
      expect(audited.map((a) => a.action)).toEqual(
        expect.arrayContaining(['correspondence.read', 'correspondence.file_read']),
      );
      // Each read names the sender, so it is in their "who used my data".
      expect(audited.every((a) => a.person_id !== null)).toBe(true);

      const bad = await caseworker.agent
        .post(`/workspace/correspondence/${row.id}/open`)
        .type('form')
        .send({ _csrf: caseworker.csrf, processKey: 'reference', subjectRef: 'x' });
      expect(bad.status).toBe(422);
      expect(await rows({ id: row.id })).toMatchObject([{ status: 'registration' }]);

      const opened = await caseworker.agent
        .post(`/workspace/correspondence/${row.id}/open`)
        .type('form')
        .send({
          _csrf: caseworker.csrf,
          processKey: 'reference',
          subjectRef: 'PROP-42',
          note: 'No e-adreses',
        });
      expect(opened.status).toBe(303);
      const caseId = /\/workspace\/cases\/([0-9a-f-]{36})/.exec(opened.headers.location)![1];
      const c = await h.tenantDb.run(h.municipalityId, (em) =>
        em.findOneByOrFail(Case, { id: caseId }),
      );
      expect(c).toMatchObject({ processKey: 'reference', applicantRef: sender });
      expect(await rows({ id: row.id })).toMatchObject([{ status: 'opened', caseId }]);
      await eventually(
        async () => (await h.engine.describe(caseId)) ?? null,
        20_000,
        'run started',
      );

      const again = await caseworker.agent
        .post(`/workspace/correspondence/${row.id}/file`)
        .type('form')
        .send({ _csrf: caseworker.csrf });
      expect(again.status).toBe(409);
    });

    it('another message is attached to an existing case by its number, or filed; wrong numbers are field errors', async () => {
      const target = await awaitingDocuments();
      const { messageId: a } = await inbound({
        from: '_DEFAULT@40003000000',
        title: 'Vēstule A',
        text: 'A',
      });
      const { messageId: b } = await inbound({
        from: '_DEFAULT@40003000000',
        title: 'Vēstule B',
        text: 'B',
      });
      await mail.poll();
      const [ra] = await rows({ divMessageId: a });
      const [rb] = await rows({ divMessageId: b });
      expect(ra.senderCode).toBeNull();

      const wrong = await caseworker.agent
        .post(`/workspace/correspondence/${ra.id}/attach`)
        .set('Cookie', 'lang=lv')
        .type('form')
        .send({ _csrf: caseworker.csrf, caseNumber: 'RES-1999-000000' });
      expect(wrong.status).toBe(422);
      const attached = await caseworker.agent
        .post(`/workspace/correspondence/${ra.id}/attach`)
        .type('form')
        .send({ _csrf: caseworker.csrf, caseNumber: target.number });
      expect(attached.status).toBe(303);
      expect(await rows({ id: ra.id })).toMatchObject([
        { status: 'attached', caseId: target.caseId },
      ]);
      const filed = await caseworker.agent
        .post(`/workspace/correspondence/${rb.id}/file`)
        .type('form')
        .send({ _csrf: caseworker.csrf, note: 'Informatīva vēstule' });
      expect(filed.status).toBe(303);
      expect(await rows({ id: rb.id })).toMatchObject([
        { status: 'filed', handlingNote: 'Informatīva vēstule' },
      ]);
    });

    it("another municipality's caseworker sees none of it", async () => {
      const other = await signInStaff(h.running.app, otherMunicipality, ['caseworker']);
      const list = await other.agent.get('/workspace/correspondence');
      expect(list.status).toBe(200);
      expect(list.text).not.toContain('Lūdzu izziņu');
      expect((await other.agent.get(`/workspace/correspondence/${row.id}`)).status).toBe(404);
      expect(
        (
          await other.agent
            .post(`/workspace/correspondence/${row.id}/file`)
            .type('form')
            .send({ _csrf: other.csrf })
        ).status,
      ).toBe(404);
    });
  });
});
