import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { bicFromLatvianIban } from './iban';
import { writePain001, type LatvianLetters, type Pain001Tx } from './pain001';
import { PAIN001_XSD, validateXml } from './payment-schema';
import type { PaymentRun } from './payment-run.entity';
import { PaymentsService } from './payments.service';
import { centsToDecimal } from './sepa-text';

const BATCH = 2000;

interface LineRow {
  id: string;
  case_number: string;
  payee_kind: string;
  payee_name: string;
  payee_iban: string;
  payee_bic: string | null;
  amount_cents: number;
  due_month: string;
  remittance: string;
  purpose_code: string | null;
  amk_code: string | null;
  ekk_code: string | null;
  ultimate_debtor_name: string | null;
  status: string;
  status_reason: string | null;
}

/** A line's EndToEndId: its id without dashes (32 characters of Max35Text), so a status report finds it. */
export const endToEndIdOf = (lineId: string): string => lineId.replace(/-/g, '').toUpperCase();
export const lineIdOf = (e2e: string): string | null => {
  const h = e2e.toLowerCase();
  return /^[0-9a-f]{32}$/.test(h)
    ? `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    : null;
};

/** A pain.001 ready to offer: written to a private temporary file and valid against the schema. */
export interface ValidatedFile {
  path: string;
  fileName: string;
  dispose(): Promise<void>;
}

/**
 * The files of a payment run: the pain.001 for the bank (streamed from the database in batches,
 * then validated against the official XSD before anyone gets it) and the accounting CSV.
 */
@Injectable()
export class PaymentFilesService {
  private readonly log = new Logger(PaymentFilesService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly ds: DataSource,
    private readonly payments: PaymentsService,
  ) {}

  async pain001(municipalityId: string, runId: string): Promise<ValidatedFile> {
    const run = await this.payments.run(municipalityId, runId);
    const settings = await this.payments.settings(municipalityId);
    const m = await this.ds.getRepository(Municipality).findOneByOrFail({ id: municipalityId });
    const dir = await mkdtemp(join(tmpdir(), 'civitas-pain001-'));
    const dispose = () => rm(dir, { recursive: true, force: true });
    const path = join(dir, `${run.msgId}.xml`);
    try {
      const out = createWriteStream(path, { encoding: 'utf8' });
      const written = await writePain001(
        {
          msgId: run.msgId,
          pmtInfId: `${run.msgId}-1`,
          createdAt: run.createdAt,
          nbOfTxs: run.lineCount,
          ctrlSumCents: BigInt(run.totalCents),
          requestedExecutionDate: run.requestedExecutionDate,
          debtor: {
            name: settings.debtorName || m.name,
            registrationNumber: m.registrationNumber,
            iban: settings.debtorIban,
            bic: settings.debtorBic ?? bicFromLatvianIban(settings.debtorIban) ?? null,
            country: m.country,
          },
        },
        this.transactions(municipalityId, run, settings),
        (chunk) => write(out, chunk),
        settings.latvianLetters as LatvianLetters,
      );
      await new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      if (written.count !== run.lineCount || written.sumCents !== BigInt(run.totalCents))
        throw new DomainError(ErrorCode.Internal, `run ${run.id}: lines changed after the run`);
      const check = await validateXml(PAIN001_XSD, { file: path });
      if (!check.valid) {
        this.log.error({ runId: run.id, errors: check.errors }, 'pain.001 failed the schema');
        throw new DomainError(ErrorCode.Internal, 'the payment file failed the schema check');
      }
      return { path, fileName: `${run.msgId}.xml`, dispose };
    } catch (e) {
      await dispose();
      throw e;
    }
  }

  /** The accounting CSV of a run (one row per line), streamed to `out`. */
  async csv(municipalityId: string, runId: string, out: Writable): Promise<void> {
    const run = await this.payments.run(municipalityId, runId);
    const csv = stringify({
      header: true,
      columns: [
        'msg_id',
        'end_to_end_id',
        'case_number',
        'payee_kind',
        'payee_name',
        'payee_iban',
        'payee_bic',
        'amount_eur',
        'amount_cents',
        'due_month',
        'purpose_code',
        'amk_code',
        'ekk_code',
        'remittance',
        'status',
        'status_reason',
      ],
    });
    csv.pipe(out);
    for await (const rows of this.pages(municipalityId, run.id))
      for (const r of rows) {
        const ok = csv.write([
          run.msgId,
          endToEndIdOf(r.id),
          r.case_number,
          r.payee_kind,
          r.payee_name,
          r.payee_iban,
          r.payee_bic ?? '',
          centsToDecimal(r.amount_cents),
          r.amount_cents,
          r.due_month,
          r.purpose_code ?? '',
          r.amk_code ?? '',
          r.ekk_code ?? '',
          r.remittance,
          r.status,
          r.status_reason ?? '',
        ]);
        if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
      }
    await new Promise<void>((resolve, reject) => {
      out.once('finish', resolve).once('error', reject);
      csv.end();
    });
  }

  private async *transactions(
    municipalityId: string,
    run: PaymentRun,
    settings: { amkCode: string | null; ekkCode: string | null },
  ): AsyncIterable<Pain001Tx[]> {
    for await (const rows of this.pages(municipalityId, run.id))
      yield rows.map((r) => ({
        endToEndId: endToEndIdOf(r.id),
        amountCents: r.amount_cents,
        creditor: { name: r.payee_name, iban: r.payee_iban, bic: r.payee_bic },
        remittance: r.remittance,
        purposeCode: r.purpose_code,
        amkCode: r.amk_code ?? settings.amkCode,
        ekkCode: r.ekk_code ?? settings.ekkCode,
        ultimateDebtorName: r.ultimate_debtor_name,
      }));
  }

  /** A run's lines in id order, BATCH at a time, each batch its own short tenant transaction. */
  private async *pages(municipalityId: string, runId: string): AsyncIterable<LineRow[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await this.tenantDb.run(
        municipalityId,
        (em) =>
          em.query(
            `SELECT l.id, c.number AS case_number, l.payee_kind, l.payee_name, l.payee_iban, l.payee_bic,
                    l.amount_cents, l.due_month, l.remittance, l.purpose_code, l.amk_code, l.ekk_code,
                    l.ultimate_debtor_name, l.status, l.status_reason
               FROM payment_lines l JOIN cases c ON c.id = l.case_id
              WHERE l.run_id = $1 AND l.id > $2 ORDER BY l.id LIMIT $3`,
            [runId, after, BATCH],
          ),
        { jit: false },
      )) as LineRow[];
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1].id;
      if (rows.length < BATCH) return;
    }
  }
}

function write(out: Writable, chunk: string): Promise<void> {
  if (chunk === '' || out.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => out.once('drain', () => resolve()));
}
