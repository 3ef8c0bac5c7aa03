// Drops the database named in DATABASE_URL (used by `npm test` to remove its throw-away database).
import { loadStoresConfig } from '@sightline/config';
import { dropThrowAwayDatabase } from '@sightline/harness';

dropThrowAwayDatabase(loadStoresConfig().DATABASE_URL).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
