import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddFunnels1796516025906 implements MigrationInterface {
  name = 'AddFunnels1796516025906';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "funnels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "site_id" integer NOT NULL, "name" text NOT NULL, "steps" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "funnels_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "funnels_site_id_name_key" ON "funnels"  ("site_id", "name") ',
    );
    await queryRunner.query(
      'ALTER TABLE "funnels" ADD CONSTRAINT "funnels_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "funnels" DROP CONSTRAINT "funnels_site_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."funnels_site_id_name_key"');
    await queryRunner.query('DROP TABLE "funnels"');
  }
}
