import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ManagerDirectory } from '../../delivery/alerts/alert.service';
import type { Language } from './roles';

/** The municipality's managers who can be e-mailed: active accounts with the manager role and an address. */
@Injectable()
export class AccountManagerDirectory implements ManagerDirectory {
  async managers(
    em: EntityManager,
    municipalityId: string,
  ): Promise<{ email: string; lang: Language }[]> {
    const rows = await em.query<{ email: string; lang: Language }[]>(
      `SELECT DISTINCT a.email, a.preferred_language AS lang
         FROM role_assignments r JOIN accounts a ON a.id = r.account_id
        WHERE r.municipality_id = $1 AND r.role = 'manager' AND NOT a.disabled AND a.email IS NOT NULL
        ORDER BY a.email`,
      [municipalityId],
    );
    return rows;
  }
}
