import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSiteImports1796700000000 implements MigrationInterface {
  name = 'AddSiteImports1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "site_imports" ("id" SERIAL NOT NULL, "site_id" integer NOT NULL, "source" text NOT NULL, "status" text NOT NULL, "file_name" text NOT NULL, "file_bytes" integer NOT NULL, "file" bytea, "progress" integer NOT NULL DEFAULT \'0\', "rows_read" integer NOT NULL DEFAULT \'0\', "rows_imported" integer NOT NULL DEFAULT \'0\', "start_date" date, "end_date" date, "error" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d895f083928ef99596fe1b17f41" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "site_imports_site_id_idx" ON "site_imports"  ("site_id") ');
    await queryRunner.query('CREATE INDEX "site_imports_status_idx" ON "site_imports"  ("status") ');
    await queryRunner.query(
      'ALTER TABLE "site_imports" ADD CONSTRAINT "site_imports_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "site_imports" ADD CONSTRAINT "site_imports_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "site_imports" DROP CONSTRAINT "site_imports_created_by_fkey"');
    await queryRunner.query('ALTER TABLE "site_imports" DROP CONSTRAINT "site_imports_site_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."site_imports_status_idx"');
    await queryRunner.query('DROP INDEX "public"."site_imports_site_id_idx"');
    await queryRunner.query('DROP TABLE "site_imports"');
  }
}
