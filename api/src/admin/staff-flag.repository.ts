import type { DataSource } from 'typeorm';

/** The staff flag, written only by the `npm run staff` command (never by an API route). */
export class StaffFlagRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sets or clears the flag; false when no account has this email. */
  async set(email: string, isStaff: boolean): Promise<boolean> {
    const [, affected] = (await this.dataSource.query('UPDATE users SET is_staff = $2 WHERE email = $1', [
      email.trim().toLowerCase(),
      isStaff,
    ])) as [unknown, number];
    return affected > 0;
  }

  async list(): Promise<Array<{ email: string; twoFactor: boolean }>> {
    return (await this.dataSource.query(
      'SELECT email, (totp_secret IS NOT NULL) AS "twoFactor" FROM users WHERE is_staff ORDER BY email',
    )) as Array<{ email: string; twoFactor: boolean }>;
  }
}
