// k6 run loadtests/scenarios/ingest-steady.ts — see loadtests/README.md.
import type { Options } from 'k6/options';
import { sendEvent } from './lib/events.ts';
import { ingestSteady } from './ingest.options.ts';

export const options: Options = ingestSteady;

export default function (): void {
  sendEvent();
}
