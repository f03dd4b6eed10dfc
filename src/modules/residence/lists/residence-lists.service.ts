import { Injectable } from '@nestjs/common';
import { AuditService } from '../../../platform/audit/audit.service';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { MunicipalDates } from '../municipal-dates';
import { maskPersonalCode } from '../../persons/personal-code';
import { LIST_KINDS, parseFilter, type ListFilter, type ListKind } from './residence-list.filter';
import { ResidenceSavedList, ResidenceTerritory } from './residence-list.entity';
import { listQuery, toListRow, type ListRow } from './residence-list.queries';

export interface ListViewer {
  accountId: string;
  municipalityId: string;
  display: string;
  /** The persons-module right `persons.personalCode`; without it codes are masked as on the person card. */
  showCodes: boolean;
}

export function assertKind(kind: string): ListKind {
  if (!(LIST_KINDS as readonly string[]).includes(kind)) throw new DomainError(ErrorCode.NotFound, `no list ${kind}`);
  return kind as ListKind;
}

/** Lists with user-composed filters, keyset pages, streamed exports and saved filters. */
@Injectable()
export class ResidenceListsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditService,
    private readonly dates: MunicipalDates,
  ) {}

  /** Platform configuration (setRegisterTerritory, CLI): the only address-register municipality the lists read. */
  async territory(municipalityId: string): Promise<string | null> {
    const t = await this.tenantDb.run(municipalityId, (em) => em.findOne(ResidenceTerritory, { where: { municipalityId } }));
    return t?.registerMunicipality ?? null;
  }


  /** One page: `limit` rows after the key `after`; `next` is the key of the following page. */
  async page(v: ListViewer, kind: ListKind, filter: ListFilter, after: string | null, limit = 50): Promise<{ rows: ListRow[]; next: string | null }> {
    const rows = await this.batch(v, kind, filter, after, limit + 1);
    await this.audit.record({ municipalityId: v.municipalityId, actor: { accountId: v.accountId, display: v.display }, action: 'residence_list.viewed', purpose: `list ${kind}`, details: { filter, rows: Math.min(rows.length, limit) } });
    return { rows: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1].key : null };
  }

  /** Every row in batches (constant memory whatever the size); the export is audited once with its row count. */
  async *stream(v: ListViewer, kind: ListKind, filter: ListFilter, batchSize = 5000): AsyncGenerator<ListRow[]> {
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const rows = await this.batch(v, kind, filter, after, batchSize);
      if (rows.length === 0) break;
      count += rows.length;
      yield rows;
      if (rows.length < batchSize) break;
      after = rows[rows.length - 1].key;
    }
    await this.audit.record({ municipalityId: v.municipalityId, actor: { accountId: v.accountId, display: v.display }, action: 'residence_list.exported', purpose: `export ${kind}`, details: { filter, rows: count } });
  }

  private async batch(v: ListViewer, kind: ListKind, filter: ListFilter, after: string | null, limit: number): Promise<ListRow[]> {
    const { municipalityId } = v;
    const territory = kind === 'declarations' ? '' : await this.territory(municipalityId);
    if (territory === null) return [];
    const q = listQuery(kind, territory, filter, await this.dates.today(municipalityId), after, limit, municipalityId);
    const rows: Record<string, unknown>[] = await this.tenantDb.run(municipalityId, (em) => em.query(q.sql, q.params));
    return rows.map(toListRow).map((r) => (v.showCodes || !r.personalCode ? r : { ...r, personalCode: maskPersonalCode(r.personalCode), masked: true }));
  }

  saved(v: ListViewer): Promise<ResidenceSavedList[]> {
    return this.tenantDb.run(v.municipalityId, (em) => em.find(ResidenceSavedList, { where: { accountId: v.accountId }, order: { name: 'ASC' } }));
  }

  /** Saves (or replaces) a named filter for this user; the filter is validated first. */
  async save(v: ListViewer, kind: ListKind, name: string, query: Record<string, unknown>): Promise<ResidenceSavedList> {
    const { filter, errors } = parseFilter(query, kind);
    const n = name.trim();
    if (!n || n.length > 100) errors.push({ field: 'name', message: 'residence:lists.errors.name' });
    if (errors.length) throw DomainError.validation(errors);
    const filters = Object.fromEntries(Object.entries(filter).map(([k, val]) => [k, String(val)]));
    return this.tenantDb.run(v.municipalityId, async (em) => {
      await em.upsert(ResidenceSavedList, { municipalityId: v.municipalityId, accountId: v.accountId, name: n, list: kind, filters }, ['municipalityId', 'accountId', 'name']);
      return em.findOneByOrFail(ResidenceSavedList, { accountId: v.accountId, name: n });
    });
  }
}
