import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSharedLinks1796617110620 implements MigrationInterface {
  name = 'AddSharedLinks1796617110620';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "shared_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "site_id" integer NOT NULL, "label" text NOT NULL, "token_hash" text NOT NULL, "password_hash" text, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "shared_links_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "shared_links_site_id_idx" ON "shared_links"  ("site_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "shared_links_token_hash_key" ON "shared_links"  ("token_hash") ',
    );
    await queryRunner.query(
      'ALTER TABLE "shared_links" ADD CONSTRAINT "shared_links_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "shared_links" ADD CONSTRAINT "shared_links_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "shared_links" DROP CONSTRAINT "shared_links_created_by_fkey"');
    await queryRunner.query('ALTER TABLE "shared_links" DROP CONSTRAINT "shared_links_site_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."shared_links_token_hash_key"');
    await queryRunner.query('DROP INDEX "public"."shared_links_site_id_idx"');
    await queryRunner.query('DROP TABLE "shared_links"');
  }
}
