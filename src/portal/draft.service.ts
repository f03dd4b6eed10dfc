import { Injectable } from '@nestjs/common';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { FormDraft } from './form-draft.entity';

/** Generic draft store: any form's field values, one draft per person and form, kept until submitted. */
@Injectable()
export class DraftService {
  constructor(private readonly tenantDb: TenantDb) {}

  async load(
    municipalityId: string,
    accountId: string,
    formKey: string,
  ): Promise<FormDraft | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(FormDraft, { where: { accountId, formKey } }),
    );
  }

  async save(
    municipalityId: string,
    accountId: string,
    formKey: string,
    data: Record<string, string>,
  ): Promise<void> {
    await this.tenantDb.run(municipalityId, (em) =>
      em.query(
        `INSERT INTO form_drafts (municipality_id, account_id, form_key, data) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (municipality_id, account_id, form_key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
        [municipalityId, accountId, formKey, JSON.stringify(data)],
      ),
    );
  }

  async discard(municipalityId: string, accountId: string, formKey: string): Promise<void> {
    await this.tenantDb.run(municipalityId, (em) => em.delete(FormDraft, { accountId, formKey }));
  }
}
