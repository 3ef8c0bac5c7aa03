// Seeds the support account `staff@sightline.test` / `sightline-staff` (override with STAFF_EMAIL /
// STAFF_PASSWORD) with the staff flag and two-factor sign-in on, and prints its TOTP secret on the
// line `staff TOTP secret: <BASE32>` so it can be added to an authenticator app (or used by
// `oathtool --totp -b SECRET`). Idempotent: the secret is kept across runs, the password reset.
import { argon2id, hash } from 'argon2';
import { Secret } from 'otpauth';
import { loadStoresConfig } from '@sightline/config';
import { createDataSource } from '@sightline/database';

async function main(): Promise<void> {
  const email = (process.env.STAFF_EMAIL ?? 'staff@sightline.test').toLowerCase();
  const password = process.env.STAFF_PASSWORD ?? 'sightline-staff';
  const dataSource = createDataSource(loadStoresConfig().DATABASE_URL);
  await dataSource.initialize();
  try {
    const passwordHash = await hash(password, { type: argon2id });
    const rows = (await dataSource.query(
      `INSERT INTO users (email, name, password_hash, email_verified_at, is_staff, totp_secret, totp_enabled_at)
       VALUES ($1, 'Support', $2, now(), true, $3, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, is_staff = true,
         totp_secret = COALESCE(users.totp_secret, EXCLUDED.totp_secret),
         totp_enabled_at = COALESCE(users.totp_enabled_at, now()),
         blocked_at = NULL, deleted_at = NULL
       RETURNING totp_secret AS secret`,
      [email, passwordHash, new Secret({ size: 20 }).base32],
    )) as Array<{ secret: string }>;
    process.stdout.write(`staff account: ${email} / ${password}\n`);
    process.stdout.write(`staff TOTP secret: ${rows[0]?.secret ?? ''}\n`);
  } finally {
    await dataSource.destroy();
  }
}

void main();
