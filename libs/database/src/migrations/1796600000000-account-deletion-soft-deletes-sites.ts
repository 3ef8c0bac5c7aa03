import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account deletion soft-deletes the sites of the orgs it removes (sites.deleted_at, completed by the
 * workers' retention sweep) instead of queueing them in a table of its own.
 */
export class AccountDeletionSoftDeletesSites1796600000000 implements MigrationInterface {
  name = 'AccountDeletionSoftDeletesSites1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "site_purges"');
    await queryRunner.query('ALTER TABLE "orgs" ADD "deleted_at" TIMESTAMP WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "orgs" DROP COLUMN "deleted_at"');
    await queryRunner.query(
      'CREATE TABLE "site_purges" ("site_id" integer NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "site_purges_pkey" PRIMARY KEY ("site_id"))',
    );
  }
}
