import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSites1763780000000 implements MigrationInterface {
  name = 'CreateSites1763780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sites" ("id" SERIAL NOT NULL, "domain" text NOT NULL, "name" text NOT NULL, "timezone" text NOT NULL DEFAULT 'UTC', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f5eccb1dfde10c9170502595a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "sites_domain_key" ON "sites" ("domain") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."sites_domain_key"`);
    await queryRunner.query(`DROP TABLE "sites"`);
  }
}
