import { Client } from 'pg';
import type { AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../errors/domain-error';

/** What a role the running process connects as may do, read as that role (issue 12 M6). */
interface RoleFacts {
  role: string;
  superuser: boolean;
  bypassrls: boolean;
  createrole: boolean;
  createdb: boolean;
  create_on_database: boolean;
  temporary: boolean;
  /** Schemas it may create objects in (owning a schema includes this). */
  create_schemas: string[];
  /** Tables, views and sequences it owns or is a member of the owner of (could ALTER, DROP, or turn RLS off). */
  owned: string[];
  /** Tenant tables (with municipality_id) it has any privilege on. */
  tenant_tables: string[];
}

const FACTS = `
  SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
         r.rolcreaterole AS createrole, r.rolcreatedb AS createdb,
         has_database_privilege(current_database(), 'CREATE') AS create_on_database,
         has_database_privilege(current_database(), 'TEMPORARY') AS temporary,
         ARRAY(SELECT n.nspname::text FROM pg_namespace n
                WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                  AND has_schema_privilege(n.oid, 'CREATE') ORDER BY 1) AS create_schemas,
         ARRAY(SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                  AND pg_has_role(c.relowner, 'MEMBER') ORDER BY n.nspname <> 'public', 1) AS owned,
         ARRAY(SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                  AND EXISTS (SELECT 1 FROM pg_attribute att WHERE att.attrelid = c.oid AND att.attname = 'municipality_id' AND NOT att.attisdropped)
                  AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE') ORDER BY 1) AS tenant_tables
    FROM pg_roles r WHERE r.rolname = current_user`;

/** A role the running process connects as, and what it is for. */
export interface RuntimeConnection {
  /** The variable that configures it, named in the refusal. */
  variable: string;
  url: string;
  /** The app role reads and writes tenant tables under row-level security; the engine role touches none. */
  tenantData: boolean;
}

const some = (names: string[]): string =>
  `${names.slice(0, 5).join(', ')}${names.length > 5 ? `, … (${names.length})` : ''}`;

/** Everything wrong with one role for runtime use, each as a sentence naming the role. */
export function roleProblems(variable: string, f: RoleFacts, tenantData: boolean): string[] {
  const who = `${variable} connects as ${f.role}, which`;
  const out: string[] = [];
  if (f.superuser) out.push(`${who} is a superuser (row-level security does not apply to it)`);
  if (f.bypassrls) out.push(`${who} has BYPASSRLS (row-level security does not apply to it)`);
  if (f.createrole) out.push(`${who} has CREATEROLE (it could grant itself other roles)`);
  if (f.createdb) out.push(`${who} has CREATEDB`);
  if (f.create_on_database)
    out.push(`${who} may create schemas in the database (CREATE on the database)`);
  if (f.temporary)
    out.push(
      `${who} may create temporary tables (TEMPORARY on the database; \`civitas db:setup\` revokes it from PUBLIC)`,
    );
  if (f.create_schemas.length)
    out.push(`${who} may create objects in schema ${f.create_schemas.join(', ')}`);
  if (f.owned.length)
    out.push(
      `${who} owns (or is a member of the owner of) ${some(f.owned)}: an owner can turn row-level security off or change the schema`,
    );
  if (!tenantData && f.tenant_tables.length)
    out.push(
      `${who} has privileges on tenant tables ${some(f.tenant_tables)}; the engine role needs DBOS's schema only`,
    );
  return out;
}

/** The running process's database roles are unsafe; main.ts exits 78 with the message. */
export class UnsafeDatabaseRoleError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Civitas did not start: a database role it connects as may do more than it needs (issue 12 M6):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Connect as the roles `civitas db:setup` creates: civitas_app (DATABASE_URL) and civitas_engine (DATABASE_ENGINE_URL); ' +
        'the owner (DATABASE_OWNER_URL) is for migrations and the CLI only. See docs/security.md, "Database roles".',
    );
    this.name = 'UnsafeDatabaseRoleError';
  }
}

/** Connects as each role and collects every problem (all of them, so one start names everything). */
export async function runtimeRoleProblems(connections: RuntimeConnection[]): Promise<string[]> {
  const problems: string[] = [];
  for (const c of connections) {
    const client = new Client({ connectionString: c.url });
    await client.connect().catch((e: Error & { code?: string }) => {
      // A missing role or database, or a wrong password, is the operator's to fix (exit 78).
      if (!['28000', '28P01', '3D000'].includes(e.code ?? '')) throw e;
      throw new DomainError(
        ErrorCode.Misconfigured,
        `${c.variable}: cannot connect as ${new URL(c.url).username}: ${e.message}. Run \`civitas db:setup\` (it creates the roles civitas_app and civitas_engine) and check the URL.`,
      );
    });
    try {
      const { rows } = await client.query<RoleFacts>(FACTS);
      problems.push(...roleProblems(c.variable, rows[0], c.tenantData));
    } finally {
      await client.end();
    }
  }
  return problems;
}

/** The roles this process connects as at run time: the app role, and the engine role with DBOS. */
export function runtimeConnections(config: AppConfig): RuntimeConnection[] {
  const out: RuntimeConnection[] = [
    { variable: 'DATABASE_URL', url: config.DATABASE_URL, tenantData: true },
  ];
  if (config.ENGINE === 'dbos')
    out.push({
      variable: 'DATABASE_ENGINE_URL',
      url: config.DATABASE_ENGINE_URL,
      tenantData: false,
    });
  return out;
}

/** Refuses to start (UnsafeDatabaseRoleError) when a runtime role is owner, superuser, BYPASSRLS or may run DDL. */
export async function assertRuntimeRoles(config: AppConfig): Promise<void> {
  const problems = await runtimeRoleProblems(runtimeConnections(config));
  if (problems.length) throw new UnsafeDatabaseRoleError(problems);
}
