import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddEmailReports1796507382535 implements MigrationInterface {
  name = 'AddEmailReports1796507382535';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "report_deliveries" ("site_id" integer NOT NULL, "user_id" uuid NOT NULL, "kind" text NOT NULL, "period_start" date NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "report_deliveries_pkey" PRIMARY KEY ("site_id", "user_id", "kind", "period_start"))',
    );
    await queryRunner.query(
      'CREATE TABLE "report_subscriptions" ("site_id" integer NOT NULL, "user_id" uuid NOT NULL, "weekly_since" TIMESTAMP WITH TIME ZONE, "monthly_since" TIMESTAMP WITH TIME ZONE, "token_version" integer NOT NULL DEFAULT \'0\', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "report_subscriptions_pkey" PRIMARY KEY ("site_id", "user_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "report_subscriptions_user_id_idx" ON "report_subscriptions"  ("user_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" ADD CONSTRAINT "report_subscriptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" DROP CONSTRAINT "report_subscriptions_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "report_subscriptions" DROP CONSTRAINT "report_subscriptions_site_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "report_deliveries" DROP CONSTRAINT "report_deliveries_user_id_fkey"',
    );
    await queryRunner.query(
      'ALTER TABLE "report_deliveries" DROP CONSTRAINT "report_deliveries_site_id_fkey"',
    );
    await queryRunner.query('DROP INDEX "public"."report_subscriptions_user_id_idx"');
    await queryRunner.query('DROP TABLE "report_subscriptions"');
    await queryRunner.query('DROP TABLE "report_deliveries"');
  }
}
