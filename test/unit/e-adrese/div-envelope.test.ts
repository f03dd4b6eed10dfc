import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DivEAddressAdapter,
  senderRefNumber,
} from '../../../src/integrations/e-adrese/div.adapter';
import {
  sha512Base64,
  signedEnvelope,
  verifySenderSignature,
  type DivEnvelopeInput,
} from '../../../src/integrations/e-adrese/div/div-envelope';
import {
  NotificationBook,
  stateOf,
  type DivNotification,
} from '../../../src/integrations/e-adrese/div/div-notifications';
import { validateDivXml } from '../../../src/integrations/e-adrese/div/div-schema';
import { parseXml } from '../../../src/integrations/e-adrese/div/div-xml';
import { makeCa } from '../../../src/integrations/e-adrese/stand-in/test-pki';

describe('DIV envelope', () => {
  let dir: string;
  let key: string;
  let cert: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'div-env-'));
    makeCa(dir, 'test-only-signer');
    key = readFileSync(join(dir, 'test-only-signer.key'), 'utf8');
    cert = readFileSync(join(dir, 'test-only-signer.crt'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pdf = Buffer.from('%PDF-1.7 lēmums');
  const input: DivEnvelopeInput = {
    title: 'Lēmums <Nr. 1> & pielikums',
    date: '2026-12-05',
    documentKind: 'DOC_EMPTY',
    author: { title: 'Tukuma novada pašvaldība', registrationNumber: '90000050975' },
    description: 'Lēmums pielikumā.',
    files: [
      {
        contentId: '0',
        name: 'lemums.pdf',
        mimeType: 'application/pdf',
        size: pdf.length,
        sha512: sha512Base64(pdf),
      },
    ],
    senderEAddress: '_DEFAULT@90000050975',
    senderRefNumber: 'case-1:decision',
    recipients: ['_PRIVATE@01019012345'],
    notifyOnDelivery: true,
  };

  it('validates against the official DIVEnvelope.xsd, with SHA-512 file digests', async () => {
    const xml = signedEnvelope(input, key, cert);
    expect(await validateDivXml(xml)).toEqual({ valid: true, errors: [] });
    expect(xml).toContain('Algorithm="http://www.w3.org/2001/04/xmlenc#sha512"');
    expect(xml).toContain(`<div:DigestValue>${sha512Base64(pdf)}</div:DigestValue>`);
  });

  it('is signed over SenderSection: the signature verifies, and fails once a signed field changes', () => {
    const xml = signedEnvelope(input, key, cert);
    expect(verifySenderSignature(parseXml(xml).documentElement!).valid).toBe(true);
    const tampered = xml.replace('_PRIVATE@01019012345', '_PRIVATE@02029022222');
    expect(verifySenderSignature(parseXml(tampered).documentElement!).valid).toBe(false);
  });

  it('an over-long title is cut to the schema limit, not refused', async () => {
    expect(
      await validateDivXml(signedEnvelope({ ...input, title: 'x'.repeat(500) }, key, cert)),
    ).toEqual({ valid: true, errors: [] });
  });
});

describe('DIV sender reference and addresses', () => {
  it('uses the outbox key as SenderRefNumber when it fits, else a stable digest of at most 50 characters', () => {
    expect(senderRefNumber('case-1:decision')).toBe('case-1:decision');
    const long = `alert:${'x'.repeat(80)}:manager@example.lv`;
    expect(senderRefNumber(long)).toHaveLength(44);
    expect(senderRefNumber(long)).toBe(senderRefNumber(long));
    expect(senderRefNumber(long)).not.toBe(senderRefNumber(`${long}!`));
  });

  it('addresses a personal code by the configured natural-person template; e-addresses pass through', () => {
    const a = new DivEAddressAdapter({
      endpoint: 'https://div.example/UnifiedService.svc',
      certP12Path: '/nonexistent.p12',
      certPassword: '',
    });
    expect(a.recipientAddress('010190-12345')).toBe('_PRIVATE@01019012345');
    expect(a.recipientAddress('_DEFAULT@90000050975')).toBe('_DEFAULT@90000050975');
    const b = new DivEAddressAdapter({
      endpoint: 'https://div.example/UnifiedService.svc',
      certP12Path: '/x.p12',
      certPassword: '',
      personAddress: 'PK{code}@eaddress',
    });
    expect(b.recipientAddress('01019012345')).toBe('PK01019012345@eaddress');
    expect(() => a.recipientAddress('12-3')).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });

  it('names the unreadable certificate on the first call instead of sending', async () => {
    const a = new DivEAddressAdapter({
      endpoint: 'https://div.example/UnifiedService.svc',
      certP12Path: '/nonexistent/div.p12',
      certPassword: '',
    });
    await expect(a.validateEAddress('010190-12345')).rejects.toMatchObject({
      code: 'misconfigured',
      message: expect.stringMatching(/EADRESE_CERT_P12: cannot read/),
    });
  });
});

describe('DIV notifications', () => {
  const n = (
    id: string,
    type: DivNotification['type'],
    messageStatus: string | null,
  ): DivNotification => ({
    id,
    type,
    messageStatus,
    createdOn: `2026-12-05T10:00:0${id}Z`,
    messageId: 'm1',
    messageClientId: null,
    statusCode: null,
    statusText: null,
    sender: null,
    recipients: [],
  });

  it('maps statuses: processed+accepted, delivered, and every failure kind', () => {
    expect(stateOf(n('1', 'MessageProcessed', 'Accepted'))).toBe('accepted');
    expect(stateOf(n('1', 'MessageProcessed', 'Rejected'))).toBe('failed');
    expect(stateOf(n('1', 'MessageDelivered', 'RecipientAccepted'))).toBe('delivered');
    expect(stateOf(n('1', 'MessageDelivered', 'RecipientRejected'))).toBe('failed');
    expect(stateOf(n('1', 'MessageDelivered', 'DeliveryDelayed'))).toBe('failed');
    expect(stateOf(n('1', 'NewMessage', null))).toBe('unknown');
  });

  it('records before it confirms, keeps going while there is more, and does not downgrade a delivered message', async () => {
    const pages = [
      { notifications: [n('2', 'MessageDelivered', 'RecipientAccepted')], hasMore: true },
      {
        notifications: [
          n('1', 'MessageProcessed', 'Accepted'),
          n('2', 'MessageDelivered', 'RecipientAccepted'),
        ],
        hasMore: false,
      },
    ];
    const confirmed: string[][] = [];
    const book = new NotificationBook(
      undefined,
      async () => pages.shift() ?? { notifications: [], hasMore: false },
      async (ids) => void confirmed.push(ids),
    );
    const fresh = await book.drain();
    expect(fresh.map((x) => x.id)).toEqual(['2', '1']);
    expect(confirmed).toEqual([['2'], ['1', '2']]);
    expect(await book.stateOf('m1')).toEqual({
      messageId: 'm1',
      state: 'delivered',
      at: '2026-12-05T10:00:02Z',
    });
  });
});
