import type { Element } from '@xmldom/xmldom';
import type { DivEAddressAdapter } from '../../../src/integrations/e-adrese/div.adapter';
import { validateDivXml } from '../../../src/integrations/e-adrese/div/div-schema';
import {
  NS,
  actionOf,
  child,
  descendant,
  parseXml,
  serialize,
} from '../../../src/integrations/e-adrese/div/div-xml';
import { letter, startDivStandIn, type RunningStandIn } from '../../support/div-stand-in';

interface Exchange {
  operation: string;
  request: string;
  response: string;
}

/** The operation element of a SOAP message, with MTOM references emptied (their bytes travel as parts). */
function bodyElement(xml: string): { envelope: Element; body: Element } {
  const doc = parseXml(xml);
  const body = child(doc.documentElement!, NS.soap, 'Body')!;
  for (const inc of Array.from(body.getElementsByTagNameNS(NS.xop, 'Include')))
    inc.parentNode!.removeChild(inc);
  let first: Element | null = null;
  for (let n = body.firstChild; n && !first; n = n.nextSibling)
    if (n.nodeType === 1) first = n as Element;
  return { envelope: doc.documentElement!, body: first! };
}

describe('DIV UnifiedService contract: every request and reply validates against the official schemas', () => {
  let standIn: RunningStandIn;
  const exchanges: Exchange[] = [];
  let confirmation: {
    messageId: string;
    proof: Awaited<ReturnType<DivEAddressAdapter['serverConfirmation']>>;
  };

  beforeAll(async () => {
    standIn = await startDivStandIn({ DIV_STANDIN_SECTION_BYTES: '65536' });
    const adapter = standIn.adapter({
      sectionBytes: 65536,
      trace: (operation, request, response) => exchanges.push({ operation, request, response }),
    });
    await adapter.validateEAddress('010190-12345');
    await adapter.lookupAddressee({ ownerCode: '90000050975' });
    const sent = await adapter.send(letter('contract-small'));
    confirmation = {
      messageId: sent.messageId,
      proof: await adapter.serverConfirmation(sent.messageId),
    };
    await adapter.send(
      letter('contract-large', [Buffer.alloc(140_000, 1), Buffer.from('%PDF small')]),
    );
    await adapter.pollNotifications();
    await standIn.control('POST', '/_control/inbound', {
      from: '_PRIVATE@01019012345',
      to: '_DEFAULT@90000050975',
      title: 'Atbilde uz pieprasījumu',
      text: 'Pielikumā dokumenti',
      inReplyTo: 'contract-small',
      files: [
        {
          name: 'izzina.pdf',
          mimeType: 'application/pdf',
          base64: Buffer.alloc(100_000, 2).toString('base64'),
        },
      ],
    });
    const list = await adapter.listIncoming();
    const incoming = await adapter.getIncoming(list.messages[0].messageId);
    reply = { text: incoming.text, references: incoming.references };
    await adapter.confirmIncoming(incoming, true);
  });
  afterAll(() => standIn?.stop());

  let reply: { text: string; references: string[] };
  it('reads an incoming reply with its text and the sender reference it answers (DocumentReferences)', () => {
    expect(reply).toEqual({ text: 'Pielikumā dokumenti', references: ['contract-small'] });
  });

  const OPERATIONS = [
    'ValidateEAddress',
    'SearchAddresseeUnit',
    'SendMessage',
    'GetMessageServerConfirmation',
    'InitSendMessage',
    'SendAttachmentSection',
    'CompleteSendMessage',
    'GetNotificationList',
    'ConfirmNotificationList',
    'GetMessageList',
    'GetMessage',
    'GetAttachmentSection',
    'ConfirmMessage',
  ];

  it.each(OPERATIONS)(
    '%s: request and reply validate, with SOAP 1.2, WS-Addressing and a signed WS-Security header',
    async (operation) => {
      const pairs = exchanges.filter((e) => e.operation === operation);
      expect(pairs.length).toBeGreaterThan(0);
      for (const { request, response } of pairs) {
        const req = bodyElement(request);
        expect(req.envelope.namespaceURI).toBe(NS.soap);
        const header = child(req.envelope, NS.soap, 'Header')!;
        expect(child(header, NS.wsa, 'Action')?.textContent).toBe(actionOf(operation));
        expect(child(header, NS.wsa, 'MessageID')?.textContent).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
        expect(child(header, NS.wsa, 'To')?.textContent).toBe(standIn.endpoint);
        const security = child(header, NS.wsse, 'Security')!;
        expect(child(security, NS.wsu, 'Timestamp')).not.toBeNull();
        expect(child(security, NS.wsse, 'BinarySecurityToken')).not.toBeNull();
        expect(descendant(security, NS.ds, 'SignatureValue')?.textContent).toBeTruthy();
        expect(req.body.localName).toBe(`${operation}Input`);
        expect(await validateDivXml(serialize(req.body))).toEqual({ valid: true, errors: [] });

        const res = bodyElement(response);
        expect(child(child(res.envelope, NS.soap, 'Header')!, NS.wsa, 'Action')?.textContent).toBe(
          `${actionOf(operation)}Response`,
        );
        expect(res.body.localName).toBe(`${operation}Output`);
        expect(await validateDivXml(serialize(res.body))).toEqual({ valid: true, errors: [] });
      }
    },
  );

  it('sends files as MTOM parts and describes each with its SHA-512 digest in the signed envelope', () => {
    const send = exchanges.find((e) => e.operation === 'SendMessage')!;
    const env = descendant(parseXml(send.request), NS.div, 'Envelope')!;
    expect(descendant(env, NS.div, 'DigestMethod')?.getAttribute('Algorithm')).toBe(
      'http://www.w3.org/2001/04/xmlenc#sha512',
    );
    expect(descendant(env, NS.div, 'RecipientE-Address')?.textContent).toBe('_PRIVATE@01019012345');
    expect(descendant(env, NS.div, 'SenderRefNumber')?.textContent).toBe('contract-small');
    const sig = descendant(env, NS.ds, 'Signature')!;
    expect(sig.getAttribute('Id')).toBe('SenderSignature');
    expect(descendant(sig, NS.ds, 'Reference')?.getAttribute('URI')).toBe('#SenderSection');
    expect(descendant(parseXml(send.request), NS.xop, 'Include')?.getAttribute('href')).toBe(
      'cid:0',
    );
  });

  it("keeps DIV's signed server confirmation of a sent message as the sending proof", () => {
    expect(confirmation.proof).toMatchObject({
      serverRefNumber: confirmation.messageId,
      receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(confirmation.proof!.xml).toMatch(/<ds:Signature[^>]*Id="ServerSignature"/);
  });

  it('cuts a large file into sections of exactly the section size, the last one shorter', () => {
    const sections = exchanges
      .filter((e) => e.operation === 'SendAttachmentSection')
      .map((e) => descendant(parseXml(e.request), NS.uui, 'SectionIndex')?.textContent);
    // 140 000 bytes in 65 536-byte sections: 0, 1 full, 2 holds the rest.
    expect(sections).toEqual(['0', '1', '2']);
  });
});
