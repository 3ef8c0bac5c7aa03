import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSecurityAndAdmin1796100000000 implements MigrationInterface {
  name = 'AddSecurityAndAdmin1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "admin_audit_log" ("id" BIGSERIAL NOT NULL, "actor_id" uuid NOT NULL, "actor_email" text NOT NULL, "action" text NOT NULL, "target_type" text NOT NULL, "target_id" text NOT NULL, "reason" text, "details" jsonb NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9425be48a9c753f5753017c61b2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "admin_audit_log_target_idx" ON "admin_audit_log"  ("target_id") ');
    await queryRunner.query(
      'CREATE INDEX "admin_audit_log_created_at_idx" ON "admin_audit_log"  ("created_at") ',
    );
    // The audit log is append-only: UPDATE, DELETE and TRUNCATE fail for every role but a superuser
    // that drops the trigger first (which itself is visible in the database's DDL history).
    await queryRunner.query(
      "CREATE FUNCTION admin_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'admin_audit_log is append-only (% refused)', TG_OP; END $$",
    );
    await queryRunner.query(
      'CREATE TRIGGER admin_audit_log_no_change BEFORE UPDATE OR DELETE ON "admin_audit_log" FOR EACH ROW EXECUTE FUNCTION admin_audit_log_append_only()',
    );
    await queryRunner.query(
      'CREATE TRIGGER admin_audit_log_no_truncate BEFORE TRUNCATE ON "admin_audit_log" FOR EACH STATEMENT EXECUTE FUNCTION admin_audit_log_append_only()',
    );
    await queryRunner.query(
      'CREATE TABLE "announcements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message" text NOT NULL, "org_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "mailed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b3ad760876ff2e19d58e05dc8b0" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "announcements_org_id_idx" ON "announcements"  ("org_id") ');
    await queryRunner.query(
      'CREATE INDEX "announcements_expires_at_idx" ON "announcements"  ("expires_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "user_recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" text NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_411939add58ed0eceffd39973cf" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "user_recovery_codes_user_id_idx" ON "user_recovery_codes"  ("user_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "site_purges" ("site_id" integer NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "site_purges_pkey" PRIMARY KEY ("site_id"))',
    );
    await queryRunner.query('ALTER TABLE "users" ADD "is_staff" boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE "users" ADD "totp_secret" text');
    await queryRunner.query('ALTER TABLE "users" ADD "totp_pending_secret" text');
    await queryRunner.query('ALTER TABLE "users" ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "users" ADD "totp_last_step" bigint');
    await queryRunner.query('ALTER TABLE "users" ADD "blocked_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "users" ADD "blocked_reason" text');
    await queryRunner.query('ALTER TABLE "users" ADD "deleted_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('CREATE INDEX "users_deleted_at_idx" ON "users"  ("deleted_at") ');
    await queryRunner.query(
      'ALTER TABLE "announcements" ADD CONSTRAINT "announcements_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "user_recovery_codes" ADD CONSTRAINT "user_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "user_recovery_codes" DROP CONSTRAINT "user_recovery_codes_user_id_fkey"',
    );
    await queryRunner.query('ALTER TABLE "announcements" DROP CONSTRAINT "announcements_org_id_fkey"');
    await queryRunner.query('DROP INDEX "public"."users_deleted_at_idx"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "deleted_at"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "blocked_reason"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "blocked_at"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "totp_last_step"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "totp_enabled_at"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "totp_pending_secret"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "totp_secret"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "is_staff"');
    await queryRunner.query('DROP TABLE "site_purges"');
    await queryRunner.query('DROP INDEX "public"."user_recovery_codes_user_id_idx"');
    await queryRunner.query('DROP TABLE "user_recovery_codes"');
    await queryRunner.query('DROP INDEX "public"."announcements_expires_at_idx"');
    await queryRunner.query('DROP INDEX "public"."announcements_org_id_idx"');
    await queryRunner.query('DROP TABLE "announcements"');
    await queryRunner.query('DROP INDEX "public"."admin_audit_log_created_at_idx"');
    await queryRunner.query('DROP INDEX "public"."admin_audit_log_target_idx"');
    await queryRunner.query('DROP TABLE "admin_audit_log"');
    await queryRunner.query('DROP FUNCTION admin_audit_log_append_only()');
  }
}
