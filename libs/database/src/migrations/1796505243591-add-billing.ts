import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddBilling1796505243591 implements MigrationInterface {
  name = 'AddBilling1796505243591';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "billing_mails" ("id" SERIAL NOT NULL, "org_id" uuid NOT NULL, "key" text NOT NULL, "kind" text NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c0c501cb607d8872685da5a810d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "billing_mails_org_id_key_key" ON "billing_mails"  ("org_id", "key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "billing_profiles" ("org_id" uuid NOT NULL, "plan_code" text NOT NULL DEFAULT \'free\', "plan_generation" integer NOT NULL DEFAULT \'1\', "billing_interval" text, "stripe_customer_id" text, "stripe_subscription_id" text, "subscription_status" text, "current_period_start" TIMESTAMP WITH TIME ZONE, "current_period_end" TIMESTAMP WITH TIME ZONE, "cancel_at_period_end" boolean NOT NULL DEFAULT false, "failed_payment_attempts" integer NOT NULL DEFAULT \'0\', "plan_check_override" boolean NOT NULL DEFAULT false, "synced_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee96d391dd41f4b9ab30ebed6d8" PRIMARY KEY ("org_id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "billing_profiles_stripe_customer_id_key" ON "billing_profiles"  ("stripe_customer_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "quota_states" ("org_id" uuid NOT NULL, "state" text NOT NULL DEFAULT \'ok\', "reason" text, "grace_started_at" TIMESTAMP WITH TIME ZONE, "grace_ends_at" TIMESTAMP WITH TIME ZONE, "locked_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ce3059fc5c5194533b76ab44376" PRIMARY KEY ("org_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "stripe_events" ("id" text NOT NULL, "type" text NOT NULL, "org_id" uuid, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "billing_profiles" ADD CONSTRAINT "billing_profiles_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "quota_states" ADD CONSTRAINT "quota_states_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "quota_states" DROP CONSTRAINT "quota_states_org_id_fkey"');
    await queryRunner.query('ALTER TABLE "billing_profiles" DROP CONSTRAINT "billing_profiles_org_id_fkey"');
    await queryRunner.query('DROP TABLE "stripe_events"');
    await queryRunner.query('DROP TABLE "quota_states"');
    await queryRunner.query('DROP INDEX "public"."billing_profiles_stripe_customer_id_key"');
    await queryRunner.query('DROP TABLE "billing_profiles"');
    await queryRunner.query('DROP INDEX "public"."billing_mails_org_id_key_key"');
    await queryRunner.query('DROP TABLE "billing_mails"');
  }
}
