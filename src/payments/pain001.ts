import { centsToDecimal, sepaText } from './sepa-text';

export const PAIN001_NS = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

export interface Pain001Header {
  msgId: string;
  pmtInfId: string;
  createdAt: Date;
  nbOfTxs: number;
  ctrlSumCents: bigint;
  requestedExecutionDate: string;
  /** The municipality: initiating party and debtor. */
  debtor: {
    name: string;
    registrationNumber: string;
    iban: string;
    bic: string | null;
    country: string;
  };
}

export interface Pain001Tx {
  endToEndId: string;
  amountCents: number;
  creditor: { name: string; iban: string; bic: string | null };
  remittance: string;
  purposeCode: string | null;
  amkCode: string | null;
  ekkCode: string | null;
  ultimateDebtorName: string | null;
}

/** Whether Latvian letters may stay in a transaction's texts (NOTES.md §2: domestic payments only). */
export type LatvianLetters = 'domestic' | 'never';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
/** XML text escaping. (Payment texts pass sepaText first, which leaves only `'` of these.) */
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
const el = (tag: string, text: string): string => `<${tag}>${esc(text)}</${tag}>`;
const orgId = (id: string): string =>
  id ? `<Id><OrgId><Othr>${el('Id', id)}</Othr></OrgId></Id>` : '';
const agent = (tag: string, bic: string | null): string =>
  `<${tag}><FinInstnId>${bic ? el('BIC', bic) : ''}</FinInstnId></${tag}>`;

/**
 * Writes a pain.001.001.03 SEPA credit transfer (EUR, SvcLvl SEPA, ChrgBr SLEV) with one payment
 * information block, streaming: the transactions come in batches and leave as text chunks through
 * `sink`, so a run of any size is written with flat memory. The header's totals are given first
 * (the schema puts NbOfTxs/CtrlSum before the transactions); the caller checks they agree.
 *
 * Written with templates rather than xmlbuilder2: its streaming (callback) builder cost about
 * 20 µs per element here, 5 s for a 10,000-line file, over the 3 s goal (docs/benchmarks.md).
 * Every text goes through `esc`; the file is validated against the XSD before it is offered.
 */
export async function writePain001(
  header: Pain001Header,
  batches: AsyncIterable<Pain001Tx[]>,
  sink: (chunk: string) => Promise<void>,
  letters: LatvianLetters = 'domestic',
): Promise<{ count: number; sumCents: bigint }> {
  const text = (s: string, max: number, keepLatvian = false) =>
    sepaText(s, { keepLatvian, max }) || '-';
  const d = header.debtor;
  const debtorLv = d.iban.startsWith('LV');
  const total = centsToDecimal(header.ctrlSumCents);
  await sink(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="${PAIN001_NS}">\n<CstmrCdtTrfInitn>\n` +
      `<GrpHdr>${el('MsgId', header.msgId)}${el('CreDtTm', header.createdAt.toISOString().slice(0, 19))}` +
      `${el('NbOfTxs', String(header.nbOfTxs))}${el('CtrlSum', total)}` +
      `<InitgPty>${el('Nm', text(d.name, 70))}${orgId(d.registrationNumber)}</InitgPty></GrpHdr>\n` +
      `<PmtInf>${el('PmtInfId', header.pmtInfId)}<PmtMtd>TRF</PmtMtd><BtchBookg>false</BtchBookg>` +
      `${el('NbOfTxs', String(header.nbOfTxs))}${el('CtrlSum', total)}` +
      `<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>${el('ReqdExctnDt', header.requestedExecutionDate)}` +
      `<Dbtr>${el('Nm', text(d.name, 70))}<PstlAdr>${el('Ctry', d.country)}</PstlAdr>${orgId(d.registrationNumber)}</Dbtr>` +
      `<DbtrAcct><Id>${el('IBAN', d.iban)}</Id><Ccy>EUR</Ccy></DbtrAcct>${agent('DbtrAgt', d.bic)}` +
      `<ChrgBr>SLEV</ChrgBr>\n`,
  );

  let count = 0;
  let sumCents = 0n;
  for await (const batch of batches) {
    let chunk = '';
    for (const tx of batch) {
      const keep = letters === 'domestic' && debtorLv && tx.creditor.iban.startsWith('LV');
      chunk += `<CdtTrfTxInf><PmtId>${el('EndToEndId', tx.endToEndId)}</PmtId>`;
      chunk += `<Amt><InstdAmt Ccy="EUR">${centsToDecimal(tx.amountCents)}</InstdAmt></Amt>`;
      // Payments on behalf of another (Treasury, from 2021): at transaction level (2.70), which wins.
      if (tx.ultimateDebtorName)
        chunk += `<UltmtDbtr>${el('Nm', text(tx.ultimateDebtorName, 70, keep))}</UltmtDbtr>`;
      if (tx.creditor.bic) chunk += agent('CdtrAgt', tx.creditor.bic);
      chunk += `<Cdtr>${el('Nm', text(tx.creditor.name, 70, keep))}</Cdtr>`;
      chunk += `<CdtrAcct><Id>${el('IBAN', tx.creditor.iban)}</Id></CdtrAcct>`;
      if (tx.purposeCode) chunk += `<Purp>${el('Cd', tx.purposeCode)}</Purp>`;
      if (tx.amkCode || tx.ekkCode) {
        // Unverified placement (docs/payments.md): the LKA guideline's field tables were not seen.
        chunk += '<RgltryRptg>';
        if (tx.amkCode) chunk += `<Dtls><Tp>AMK</Tp>${el('Cd', tx.amkCode)}</Dtls>`;
        if (tx.ekkCode) chunk += `<Dtls><Tp>EKK</Tp>${el('Cd', tx.ekkCode)}</Dtls>`;
        chunk += '</RgltryRptg>';
      }
      chunk += `<RmtInf>${el('Ustrd', text(tx.remittance, 140, keep))}</RmtInf></CdtTrfTxInf>\n`;
      count += 1;
      sumCents += BigInt(tx.amountCents);
    }
    await sink(chunk);
  }
  await sink('</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n');
  return { count, sumCents };
}
