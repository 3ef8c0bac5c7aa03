// k6 run loadtests/scenarios/ingest-soak.ts — see loadtests/README.md.
import type { Options } from 'k6/options';
import { sendEvent } from './lib/events.ts';
import { ingestSoak } from './ingest.options.ts';

export const options: Options = ingestSoak;

export default function (): void {
  sendEvent();
}
