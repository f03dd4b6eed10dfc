import { createCB } from 'xmlbuilder2';
import type { XMLBuilderCB } from 'xmlbuilder2/lib/interfaces';
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

/**
 * Writes a pain.001.001.03 SEPA credit transfer (EUR, SvcLvl SEPA, ChrgBr SLEV) with one payment
 * information block, streaming: the transactions come in batches and leave as text chunks through
 * `sink`, so a run of any size is written with flat memory. The header's totals are given first
 * (the schema puts NbOfTxs/CtrlSum before the transactions); the caller checks they agree.
 */
export async function writePain001(
  header: Pain001Header,
  batches: AsyncIterable<Pain001Tx[]>,
  sink: (chunk: string) => Promise<void>,
  letters: LatvianLetters = 'domestic',
): Promise<{ count: number; sumCents: bigint }> {
  let buffer = '';
  const xml = createCB({ data: (c: string) => (buffer += c), prettyPrint: true });
  const debtorLv = header.debtor.iban.startsWith('LV');
  const text = (s: string, max: number, keepLatvian = false) =>
    sepaText(s, { keepLatvian, max }) || '-';
  const orgId = (x: XMLBuilderCB, id: string) =>
    id ? x.ele('Id').ele('OrgId').ele('Othr').ele('Id').txt(id).up().up().up().up() : x;
  const agent = (x: XMLBuilderCB, tag: string, bic: string | null) => {
    x.ele(tag).ele('FinInstnId');
    if (bic) x.ele('BIC').txt(bic).up();
    return x.up().up();
  };

  xml.dec({ version: '1.0', encoding: 'UTF-8' }).ele('Document', { xmlns: PAIN001_NS });
  xml.ele('CstmrCdtTrfInitn').ele('GrpHdr');
  xml.ele('MsgId').txt(header.msgId).up();
  xml.ele('CreDtTm').txt(header.createdAt.toISOString().slice(0, 19)).up();
  xml.ele('NbOfTxs').txt(String(header.nbOfTxs)).up();
  xml.ele('CtrlSum').txt(centsToDecimal(header.ctrlSumCents)).up();
  xml.ele('InitgPty').ele('Nm').txt(text(header.debtor.name, 70)).up();
  orgId(xml, header.debtor.registrationNumber).up();
  xml.up(); // GrpHdr

  xml.ele('PmtInf');
  xml.ele('PmtInfId').txt(header.pmtInfId).up();
  xml.ele('PmtMtd').txt('TRF').up();
  xml.ele('BtchBookg').txt('false').up();
  xml.ele('NbOfTxs').txt(String(header.nbOfTxs)).up();
  xml.ele('CtrlSum').txt(centsToDecimal(header.ctrlSumCents)).up();
  xml.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA').up().up().up();
  xml.ele('ReqdExctnDt').txt(header.requestedExecutionDate).up();
  xml.ele('Dbtr').ele('Nm').txt(text(header.debtor.name, 70)).up();
  xml.ele('PstlAdr').ele('Ctry').txt(header.debtor.country).up().up();
  orgId(xml, header.debtor.registrationNumber).up();
  xml.ele('DbtrAcct').ele('Id').ele('IBAN').txt(header.debtor.iban).up().up();
  xml.ele('Ccy').txt('EUR').up().up();
  agent(xml, 'DbtrAgt', header.debtor.bic);
  xml.ele('ChrgBr').txt('SLEV').up();
  await sink(buffer);
  buffer = '';

  let count = 0;
  let sumCents = 0n;
  for await (const batch of batches) {
    for (const tx of batch) {
      const keep = letters === 'domestic' && debtorLv && tx.creditor.iban.startsWith('LV');
      xml.ele('CdtTrfTxInf');
      xml.ele('PmtId').ele('EndToEndId').txt(tx.endToEndId).up().up();
      xml.ele('Amt').ele('InstdAmt', { Ccy: 'EUR' }).txt(centsToDecimal(tx.amountCents)).up().up();
      // Payments on behalf of another (Treasury, from 2021): at transaction level (2.70), which wins.
      if (tx.ultimateDebtorName)
        xml
          .ele('UltmtDbtr')
          .ele('Nm')
          .txt(text(tx.ultimateDebtorName, 70, keep))
          .up()
          .up();
      if (tx.creditor.bic) agent(xml, 'CdtrAgt', tx.creditor.bic);
      xml
        .ele('Cdtr')
        .ele('Nm')
        .txt(text(tx.creditor.name, 70, keep))
        .up()
        .up();
      xml.ele('CdtrAcct').ele('Id').ele('IBAN').txt(tx.creditor.iban).up().up().up();
      if (tx.purposeCode) xml.ele('Purp').ele('Cd').txt(tx.purposeCode).up().up();
      if (tx.amkCode || tx.ekkCode) {
        // Unverified placement (docs/payments.md): the LKA guideline's field tables were not seen.
        xml.ele('RgltryRptg');
        for (const [tp, cd] of [
          ['AMK', tx.amkCode],
          ['EKK', tx.ekkCode],
        ] as const)
          if (cd) xml.ele('Dtls').ele('Tp').txt(tp).up().ele('Cd').txt(cd).up().up();
        xml.up();
      }
      xml
        .ele('RmtInf')
        .ele('Ustrd')
        .txt(text(tx.remittance, 140, keep))
        .up()
        .up();
      xml.up(); // CdtTrfTxInf
      count += 1;
      sumCents += BigInt(tx.amountCents);
    }
    await sink(buffer);
    buffer = '';
  }
  xml.up().up().up(); // PmtInf, CstmrCdtTrfInitn, Document
  xml.end();
  await sink(buffer);
  return { count, sumCents };
}
