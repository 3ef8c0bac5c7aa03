// `npm run staff -- add EMAIL | remove EMAIL | list`: the only way to grant or take back staff
// access to the support panel. Staff also need two-factor sign-in on before /admin opens for them.
import { loadStoresConfig } from '@sightline/config';
import { createDataSource } from '@sightline/database';
import { StaffFlagRepository } from './staff-flag.repository';

async function main(argv: string[]): Promise<number> {
  const [command, email] = argv;
  if (!(command === 'list' || ((command === 'add' || command === 'remove') && email))) {
    process.stderr.write('usage: npm run staff -- add EMAIL | remove EMAIL | list\n');
    return 2;
  }
  const dataSource = createDataSource(loadStoresConfig().DATABASE_URL);
  await dataSource.initialize();
  try {
    const staff = new StaffFlagRepository(dataSource);
    if (command === 'list') {
      for (const s of await staff.list())
        process.stdout.write(`${s.email}${s.twoFactor ? '' : '  (2FA off: cannot open /admin yet)'}\n`);
      return 0;
    }
    if (!(await staff.set(email ?? '', command === 'add'))) {
      process.stderr.write(`no account with the email ${email}\n`);
      return 1;
    }
    process.stdout.write(command === 'add' ? `${email} is now staff\n` : `${email} is no longer staff\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
