import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StaffMember {
  id: string;
  displayName: string;
  username: string | null;
  /** Signs in through the municipality's LDAP directory (username is then the directory login; roles follow its groups). */
  directory: boolean;
  roles: string[];
  disabled: boolean;
}

/** Staff of a municipality with their roles there (accounts and grants are platform tables, not tenant data). */
@Injectable()
export class StaffDirectoryService {
  constructor(private readonly ds: DataSource) {}

  async list(municipalityId: string, role?: string): Promise<StaffMember[]> {
    const rows = (await this.ds.query(
      `SELECT a.id, a.display_name, coalesce(a.username, a.directory_login) AS username, a.directory_entry_id IS NOT NULL AS directory, a.disabled,
              array_agg(DISTINCT ra.role || COALESCE(':' || ra.process_key, '') ORDER BY ra.role || COALESCE(':' || ra.process_key, '')) AS roles
         FROM role_assignments ra JOIN accounts a ON a.id = ra.account_id
        WHERE ra.municipality_id = $1 AND ra.role <> 'citizen'
        GROUP BY a.id
       HAVING $2::text IS NULL OR bool_or(ra.role = $2)
        ORDER BY a.display_name`,
      [municipalityId, role ?? null],
    )) as {
      id: string;
      display_name: string;
      username: string | null;
      directory: boolean;
      disabled: boolean;
      roles: string[];
    }[];
    return rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      username: r.username,
      directory: r.directory,
      roles: r.roles,
      disabled: r.disabled,
    }));
  }
}
