import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * The migration history is the owner's: the app role got row privileges on it from the default
 * privileges and could make a migration look applied (or pending). It never reads it.
 */
export class MigrationHistoryOwnerOnly1796492457067 implements MigrationInterface {
  name = 'MigrationHistoryOwnerOnly1796492457067';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON "typeorm_migrations" FROM "${APP_ROLE}"`);
    await queryRunner.query(
      `REVOKE ALL ON SEQUENCE "typeorm_migrations_id_seq" FROM "${APP_ROLE}"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `GRANT USAGE, SELECT ON SEQUENCE "typeorm_migrations_id_seq" TO "${APP_ROLE}"`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "typeorm_migrations" TO "${APP_ROLE}"`,
    );
  }
}
