import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAccountsAndOrgs1795332340942 implements MigrationInterface {
  name = 'AddAccountsAndOrgs1795332340942';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "name" text, "password_hash" text NOT NULL, "email_verified_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "users_email_key" ON "users"  ("email") ');
    await queryRunner.query(
      'CREATE TABLE "orgs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9eed8bfad4c9e0dc8648e090efe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "key_hash" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "api_keys_org_id_idx" ON "api_keys"  ("org_id") ');
    await queryRunner.query('CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"  ("key_hash") ');
    await queryRunner.query(
      'CREATE TABLE "email_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" text NOT NULL, "token_hash" text NOT NULL, "new_email" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_08abb3fa348e894c274a6730d35" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "email_tokens_user_id_idx" ON "email_tokens"  ("user_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "email_tokens_token_hash_key" ON "email_tokens"  ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "user_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "country" text, "device" text, CONSTRAINT "PK_e93e031a5fed190d4789b6bfd83" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "user_sessions_user_id_idx" ON "user_sessions"  ("user_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "user_sessions_token_hash_key" ON "user_sessions"  ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_id" uuid NOT NULL, "email" text NOT NULL, "role" text NOT NULL, "token_hash" text NOT NULL, "invited_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "accepted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5dec98cfdfd562e4ad3648bbb07" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "invitations_org_id_idx" ON "invitations"  ("org_id") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"  ("token_hash") ',
    );
    await queryRunner.query(
      'CREATE TABLE "memberships" ("org_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "memberships_pkey" PRIMARY KEY ("org_id", "user_id"))',
    );
    await queryRunner.query('CREATE INDEX "memberships_user_id_idx" ON "memberships"  ("user_id") ');
    // Sites created before orgs existed (development data) move to one org, so the column can be NOT NULL.
    await queryRunner.query('ALTER TABLE "sites" ADD "org_id" uuid');
    await queryRunner.query(
      'WITH o AS (INSERT INTO "orgs" ("name") SELECT \'Sites without an org\' WHERE EXISTS (SELECT 1 FROM "sites") RETURNING "id") UPDATE "sites" SET "org_id" = (SELECT "id" FROM o)',
    );
    await queryRunner.query('ALTER TABLE "sites" ALTER COLUMN "org_id" SET NOT NULL');
    await queryRunner.query('CREATE INDEX "sites_org_id_idx" ON "sites"  ("org_id") ');
    await queryRunner.query(
      'ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "email_tokens" ADD CONSTRAINT "email_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "sites" ADD CONSTRAINT "sites_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sites" DROP CONSTRAINT "sites_org_id_fkey"');
    await queryRunner.query('ALTER TABLE "memberships" DROP CONSTRAINT "memberships_user_id_fkey"');
    await queryRunner.query('ALTER TABLE "memberships" DROP CONSTRAINT "memberships_org_id_fkey"');
    await queryRunner.query('ALTER TABLE "invitations" DROP CONSTRAINT "invitations_invited_by_fkey"');
    await queryRunner.query('ALTER TABLE "invitations" DROP CONSTRAINT "invitations_org_id_fkey"');
    await queryRunner.query('ALTER TABLE "user_sessions" DROP CONSTRAINT "user_sessions_user_id_fkey"');
    await queryRunner.query('ALTER TABLE "email_tokens" DROP CONSTRAINT "email_tokens_user_id_fkey"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_created_by_fkey"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_org_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."sites_org_id_idx"');
    await queryRunner.query('ALTER TABLE "sites" DROP COLUMN "org_id"');
    await queryRunner.query('DROP INDEX "public"."memberships_user_id_idx"');
    await queryRunner.query('DROP TABLE "memberships"');
    await queryRunner.query('DROP INDEX "public"."invitations_token_hash_key"');
    await queryRunner.query('DROP INDEX "public"."invitations_org_id_idx"');
    await queryRunner.query('DROP TABLE "invitations"');
    await queryRunner.query('DROP INDEX "public"."user_sessions_token_hash_key"');
    await queryRunner.query('DROP INDEX "public"."user_sessions_user_id_idx"');
    await queryRunner.query('DROP TABLE "user_sessions"');
    await queryRunner.query('DROP INDEX "public"."email_tokens_token_hash_key"');
    await queryRunner.query('DROP INDEX "public"."email_tokens_user_id_idx"');
    await queryRunner.query('DROP TABLE "email_tokens"');
    await queryRunner.query('DROP INDEX "public"."api_keys_key_hash_key"');
    await queryRunner.query('DROP INDEX "public"."api_keys_org_id_idx"');
    await queryRunner.query('DROP TABLE "api_keys"');
    await queryRunner.query('DROP TABLE "orgs"');
    await queryRunner.query('DROP INDEX "public"."users_email_key"');
    await queryRunner.query('DROP TABLE "users"');
  }
}
