import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SoftDeleteSites1796506633324 implements MigrationInterface {
  name = 'SoftDeleteSites1796506633324';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sites" ADD "deleted_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "sites_deleted_at_idx" ON "sites"  ("deleted_at") WHERE "deleted_at" IS NOT NULL',
    );
    // Added by hand (TypeORM's diff does not compare index predicates): domains stay unique among
    // live sites only, so a deleted site's domain can be registered again before the sweep runs.
    await queryRunner.query('DROP INDEX "public"."sites_domain_key"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "sites_domain_key" ON "sites" ("domain") WHERE "deleted_at" IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."sites_domain_key"');
    await queryRunner.query('CREATE UNIQUE INDEX "sites_domain_key" ON "sites" ("domain")');
    await queryRunner.query('DROP INDEX "public"."sites_deleted_at_idx"');
    await queryRunner.query('ALTER TABLE "sites" DROP COLUMN "deleted_at"');
  }
}
