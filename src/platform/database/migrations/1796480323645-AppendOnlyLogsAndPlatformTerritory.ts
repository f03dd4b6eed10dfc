import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * Case timelines and the sign-in log are append-only for the application, like the audit log: the
 * app role keeps INSERT and SELECT only. The register territory of a municipality is platform
 * configuration (CLI territory:set, as the owner): the app role may only read it.
 */
export class AppendOnlyLogsAndPlatformTerritory1796480323645 implements MigrationInterface {
  name = 'AppendOnlyLogsAndPlatformTerritory1796480323645';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON "timeline_events", "sign_in_attempts" FROM "${APP_ROLE}"`,
    );
    await queryRunner.query(
      `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "residence_territories" FROM "${APP_ROLE}"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `GRANT INSERT, UPDATE, DELETE ON "residence_territories" TO "${APP_ROLE}"`,
    );
    await queryRunner.query(
      `GRANT UPDATE, DELETE ON "timeline_events", "sign_in_attempts" TO "${APP_ROLE}"`,
    );
  }
}
