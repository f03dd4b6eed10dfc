import { create } from 'xmlbuilder2';

/** A status of the bank for a group, a payment information block or one transaction. */
export interface StatusWithReason {
  status: string | null;
  reason: string | null;
  text: string | null;
}

export interface Pain002Report {
  msgId: string;
  originalMsgId: string;
  group: StatusWithReason;
  payments: (StatusWithReason & {
    pmtInfId: string;
    transactions: (StatusWithReason & { endToEndId: string })[];
  })[];
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] =>
  v === undefined || v === null ? [] : ((Array.isArray(v) ? v : [v]) as Node[]);
const str = (v: unknown): string | null =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : null;

/** The first reason code (ISO external status reason, e.g. AC04) and the bank's texts. */
function statusOf(node: Node, statusTag: string): StatusWithReason {
  const info = list(node.StsRsnInf)[0];
  const rsn = info ? (info.Rsn as Node | undefined) : undefined;
  const texts = info
    ? list(info.AddtlInf as unknown)
        .map((t) => str(t))
        .filter(Boolean)
    : [];
  return {
    status: str(node[statusTag]),
    reason: rsn ? (str(rsn.Cd) ?? str(rsn.Prtry)) : null,
    text: texts.length ? texts.join(' ') : null,
  };
}

/**
 * Reads a pain.002.001.03 that has already passed the schema (validateXml with PAIN002_XSD), so
 * the elements are where the schema puts them; only what marks our lines is kept.
 */
export function parsePain002(xml: string): Pain002Report {
  const doc = create(xml).end({ format: 'object' }) as unknown as Node;
  const rpt = (doc.Document as Node).CstmrPmtStsRpt as Node;
  const grp = rpt.OrgnlGrpInfAndSts as Node;
  return {
    msgId: str((rpt.GrpHdr as Node).MsgId) ?? '',
    originalMsgId: str(grp.OrgnlMsgId) ?? '',
    group: statusOf(grp, 'GrpSts'),
    payments: list(rpt.OrgnlPmtInfAndSts).map((p) => ({
      pmtInfId: str(p.OrgnlPmtInfId) ?? '',
      ...statusOf(p, 'PmtInfSts'),
      transactions: list(p.TxInfAndSts).map((t) => ({
        endToEndId: str(t.OrgnlEndToEndId) ?? '',
        ...statusOf(t, 'TxSts'),
      })),
    })),
  };
}

/**
 * What a bank status means for a line (ISO 20022 external payment transaction status codes):
 * ACSC settled = paid; ACCP/ACSP/ACTC/ACWC accepted (on its way); RJCT rejected; PDNG and
 * anything else leave the line as it is.
 */
export function lineOutcome(status: string | null): 'paid' | 'accepted' | 'rejected' | null {
  if (status === null) return null;
  switch (status) {
    case 'ACSC':
      return 'paid';
    case 'ACCP':
    case 'ACSP':
    case 'ACTC':
    case 'ACWC':
      return 'accepted';
    case 'RJCT':
      return 'rejected';
    default:
      return null;
  }
}
