import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSiteAllowedHostnames1763790000000 implements MigrationInterface {
  name = 'AddSiteAllowedHostnames1763790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sites" ADD "allowed_hostnames" text array NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sites" DROP COLUMN "allowed_hostnames"`);
  }
}
