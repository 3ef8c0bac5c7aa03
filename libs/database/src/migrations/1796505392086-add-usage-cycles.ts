import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddUsageCycles1796505392086 implements MigrationInterface {
  name = 'AddUsageCycles1796505392086';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "usage_cycles" ("org_id" uuid NOT NULL, "cycle_start" TIMESTAMP WITH TIME ZONE NOT NULL, "cycle_end" TIMESTAMP WITH TIME ZONE NOT NULL, "events" bigint NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "usage_cycles_pkey" PRIMARY KEY ("org_id", "cycle_start"))',
    );
    await queryRunner.query('ALTER TABLE "orgs" ADD "billing_anchor_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'ALTER TABLE "usage_cycles" ADD CONSTRAINT "usage_cycles_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "usage_cycles" DROP CONSTRAINT "usage_cycles_org_id_fkey"');
    await queryRunner.query('ALTER TABLE "orgs" DROP COLUMN "billing_anchor_at"');
    await queryRunner.query('DROP TABLE "usage_cycles"');
  }
}
