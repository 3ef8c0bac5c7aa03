// k6 run loadtests/scenarios/ingest-spike.ts — see loadtests/README.md.
import type { Options } from 'k6/options';
import { sendEvent } from './lib/events.ts';
import { ingestSpike } from './ingest.options.ts';

export const options: Options = ingestSpike;

export default function (): void {
  sendEvent();
}
