import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSiteCurrency1796516099774 implements MigrationInterface {
  name = 'AddSiteCurrency1796516099774';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sites" ADD "currency" text NOT NULL DEFAULT \'USD\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sites" DROP COLUMN "currency"');
  }
}
