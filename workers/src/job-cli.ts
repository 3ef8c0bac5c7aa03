// `npm run job -- --list` lists the jobs and their schedules; `npm run job -- NAME` runs one job now,
// in this process, against the configured stores, and prints what it did.
import { loadWorkersConfig } from '@sightline/config';
import { describeSchedule } from './jobs/scheduled-job';
import { createWorkersApp } from './workers-app';

async function main(args: string[]): Promise<number> {
  const config = loadWorkersConfig();
  const name = args.find((a) => !a.startsWith('-'));
  if (!name && !args.includes('--list')) {
    console.error('usage: npm run job -- --list | npm run job -- NAME');
    return 2;
  }
  const workers = await createWorkersApp(
    { ...config, LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL },
    'cli',
  );
  try {
    if (!name) {
      for (const job of workers.jobs)
        console.log(
          `${job.name.padEnd(18)} ${describeSchedule(job.schedule).padEnd(26)} timeout ${job.timeoutMs / 1000} s, ${job.attempts} attempts  ${job.description}`,
        );
      for (const job of workers.queuedJobs)
        console.log(
          `${job.name.padEnd(18)} ${'queued by the api'.padEnd(26)} timeout ${job.timeoutMs / 1000} s, ${job.attempts} attempts  ${job.description}`,
        );
      return 0;
    }
    const job = workers.jobs.find((j) => j.name === name);
    if (!job) {
      console.error(`unknown job "${name}"; jobs: ${workers.jobs.map((j) => j.name).join(', ')}`);
      return 2;
    }
    const result = await workers.runner.run(job, { attempt: 1 });
    console.log(`${job.name} done`);
    for (const [key, value] of Object.entries(result)) console.log(`  ${key}: ${value}`);
    return 0;
  } catch (err) {
    console.error(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await workers.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
