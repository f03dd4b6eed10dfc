import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { MunicipalDates } from '../municipal-dates';
import { PersonDataReads } from '../../../persons/person-data-reads';
import type { PersonalCodePolicy } from '../../../persons/personal-code-policy';
import { LIST_KINDS, parseFilter, type ListFilter, type ListKind } from './residence-list.filter';
import { ResidenceSavedList, ResidenceTerritory } from './residence-list.entity';
import { listQuery, toListRow, type ListRow } from './residence-list.queries';

export interface ListViewer {
  accountId: string;
  municipalityId: string;
  display: string;
  /** The one masking rule for this viewer (as on the person card and the case file), in pages and exports alike. */
  codes: PersonalCodePolicy;
  requestId?: string | null;
  ip?: string | null;
}

/** A row as this viewer may see it: the personal code by the one masking rule (no link to the person card when masked). */
function masked(v: ListViewer, r: ListRow): ListRow {
  if (!r.personalCode) return r;
  const code = v.codes.show(r.personalCode);
  return code.masked ? { ...r, personalCode: code.value, masked: true } : r;
}

export function assertKind(kind: string): ListKind {
  if (!(LIST_KINDS as readonly string[]).includes(kind))
    throw new DomainError(ErrorCode.NotFound, `no list ${kind}`);
  return kind as ListKind;
}

/** Lists with user-composed filters, keyset pages, streamed exports and saved filters. */
@Injectable()
export class ResidenceListsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly dates: MunicipalDates,
    private readonly reads: PersonDataReads,
  ) {}

  /** Platform configuration (setRegisterTerritory, CLI): the only address-register municipality the lists read. */
  async territory(municipalityId: string): Promise<string | null> {
    const t = await this.tenantDb.run(municipalityId, (em) =>
      em.findOne(ResidenceTerritory, { where: { municipalityId } }),
    );
    return t?.registerMunicipality ?? null;
  }

  /** One page: `limit` rows after the key `after`; `next` is the key of the following page. */
  async page(
    v: ListViewer,
    kind: ListKind,
    filter: ListFilter,
    after: string | null,
    limit = 50,
  ): Promise<{ rows: ListRow[]; next: string | null }> {
    const rows = await this.batch(v, kind, filter, after, limit + 1);
    const shown = rows.slice(0, limit);
    await this.audit.record({
      municipalityId: v.municipalityId,
      actor: { accountId: v.accountId, display: v.display },
      action: 'residence_list.viewed',
      purpose: `list ${kind}`,
      requestId: v.requestId,
      ip: v.ip,
      details: { filter, rows: shown.length },
    });
    await this.recordReads(v, kind, 'list', filter, shown);
    return {
      rows: shown.map((r) => masked(v, r)),
      next: rows.length > limit ? rows[limit - 1].key : null,
    };
  }

  /**
   * Every row in batches (constant memory whatever the size). Each batch is a read of each person
   * in it, recorded before the batch is written out; the export as a whole is audited once with its
   * row count.
   */
  async *stream(
    v: ListViewer,
    kind: ListKind,
    filter: ListFilter,
    batchSize = 5000,
  ): AsyncGenerator<ListRow[]> {
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const rows = await this.batch(v, kind, filter, after, batchSize);
      if (rows.length === 0) break;
      count += rows.length;
      await this.recordReads(v, kind, 'export', filter, rows);
      yield rows.map((r) => masked(v, r));
      if (rows.length < batchSize) break;
      after = rows[rows.length - 1].key;
    }
    await this.audit.record({
      municipalityId: v.municipalityId,
      actor: { accountId: v.accountId, display: v.display },
      action: 'residence_list.exported',
      purpose: `export ${kind}`,
      requestId: v.requestId,
      ip: v.ip,
      details: { filter, rows: count },
    });
  }

  private async batch(
    v: ListViewer,
    kind: ListKind,
    filter: ListFilter,
    after: string | null,
    limit: number,
  ): Promise<ListRow[]> {
    const { municipalityId } = v;
    const territory = kind === 'declarations' ? '' : await this.territory(municipalityId);
    if (territory === null) return [];
    const q = listQuery(
      kind,
      territory,
      filter,
      await this.dates.today(municipalityId),
      after,
      limit,
      municipalityId,
    );
    const rows: Record<string, unknown>[] = await this.tenantDb.run(municipalityId, (em) =>
      em.query(q.sql, q.params),
    );
    return rows.map(toListRow);
  }

  /** One audited read per person of the rows (issue 12 M2): each finds the list or export in "Who used my data". */
  private async recordReads(
    v: ListViewer,
    kind: ListKind,
    how: 'list' | 'export',
    filter: ListFilter,
    rows: ListRow[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.reads.record(
      {
        municipalityId: v.municipalityId,
        actor: { accountId: v.accountId, display: v.display },
        action: `${how}.read`,
        subject: { type: 'residence_list', id: kind },
        purpose: `${how} ${kind}`,
        requestId: v.requestId,
        ip: v.ip,
        details: { filter },
      },
      rows.map((r) => ({
        personalCode: r.personalCode,
        givenName: r.givenName,
        familyName: r.familyName,
        birthDate: r.birthDate || null,
      })),
    );
  }

  saved(v: ListViewer): Promise<ResidenceSavedList[]> {
    return this.tenantDb.run(v.municipalityId, (em) =>
      em.find(ResidenceSavedList, { where: { accountId: v.accountId }, order: { name: 'ASC' } }),
    );
  }

  /** Saves (or replaces) a named filter for this user; the filter is validated first. */
  async save(
    v: ListViewer,
    kind: ListKind,
    name: string,
    query: Record<string, unknown>,
  ): Promise<ResidenceSavedList> {
    const { filter, errors } = parseFilter(query, kind);
    const n = name.trim();
    if (!n || n.length > 100)
      errors.push({ field: 'name', message: 'residence:lists.errors.name' });
    if (errors.length) throw DomainError.validation(errors);
    const filters = Object.fromEntries(Object.entries(filter).map(([k, val]) => [k, String(val)]));
    return this.tenantDb.run(v.municipalityId, async (em) => {
      await em.upsert(
        ResidenceSavedList,
        { municipalityId: v.municipalityId, accountId: v.accountId, name: n, list: kind, filters },
        ['municipalityId', 'accountId', 'name'],
      );
      return em.findOneByOrFail(ResidenceSavedList, { accountId: v.accountId, name: n });
    });
  }
}
