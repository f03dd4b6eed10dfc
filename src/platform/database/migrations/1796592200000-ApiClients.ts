import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Machine clients of the municipal APIs (read before a tenant is known: no RLS, see NON_TENANT_TABLES). */
export class ApiClients1796592200000 implements MigrationInterface {
  name = 'ApiClients1796592200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "api_clients" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "client_id" text NOT NULL, "name" text NOT NULL, "secret_hash" text NOT NULL, "scopes" jsonb NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_api_clients" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "IDX_api_clients_client_id" ON "api_clients" ("client_id")`);
    await q.query(
      `CREATE INDEX "IDX_api_clients_municipality" ON "api_clients" ("municipality_id")`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_clients"`);
  }
}
