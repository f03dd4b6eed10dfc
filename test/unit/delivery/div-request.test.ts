import { createHash } from 'node:crypto';
import { DivEAddressAdapter, toSendMessageRequest } from '../../../src/integrations/e-adrese/div.adapter';

describe('DIV SendMessage mapping (real adapter skeleton)', () => {
  const content = Buffer.from('%PDF-1.7 test');
  const sha = createHash('sha256').update(content).digest('hex');
  const req = toSendMessageRequest({
    title: 'Lēmums',
    date: '2026-04-02T09:00:00.000Z',
    documentKind: 'NOTIFICATION',
    authors: ['Tukuma novada pašvaldība'],
    content: 'Lēmums pielikumā',
    files: [{ name: 'lemums.pdf', mimeType: 'application/pdf', size: content.length, sha256: sha, content }],
    senderEAddress: '_DEFAULT@90000000000',
    senderReference: 'case-1:decision-notice',
    recipients: ['010190-12345', '_PRIVATE@02029022222'],
    notifyOnDelivery: true,
  });

  it('addresses natural persons by their private e-address and keeps the sender reference', () => {
    expect(req.Envelope.Recipients.map((r) => r.RecipientEntry.E_Address)).toEqual(['_PRIVATE@01019012345', '_PRIVATE@02029022222']);
    expect(req.Envelope.SenderDocument.SenderReferenceNumber).toBe('case-1:decision-notice');
    expect(req.Envelope.SenderDocument.NotifySenderOnDelivery).toBe(true);
  });

  it('carries each file with its SHA-256 digest', () => {
    const f = req.Envelope.SenderDocument.Files[0];
    expect(f.DigestValue).toBe(createHash('sha256').update(content).digest('base64'));
    expect(Buffer.from(f.Content, 'base64').equals(content)).toBe(true);
  });

  it('refuses to pretend it sent anything', async () => {
    const a = new DivEAddressAdapter({ endpoint: 'https://div.example/gw', certP12Path: '/x.p12', certPassword: '' });
    await expect(a.validateEAddress('010190-12345')).rejects.toMatchObject({ code: 'misconfigured' });
  });
});
