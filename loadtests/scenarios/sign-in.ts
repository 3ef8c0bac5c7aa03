// k6 run loadtests/scenarios/sign-in.ts — repeated sign-ins of the demo user (argon2id verify,
// session creation, cookie). The API limits log-in attempts per address and account: start it with
// LOGIN_ATTEMPTS_PER_15_MIN raised for this run (README). See loadtests/README.md.
import { sleep } from 'k6';
import type { Options } from 'k6/options';
import { signIn as signInOnce } from './lib/session.ts';
import { signIn } from './api.options.ts';

export const options: Options = signIn;

export default function (): void {
  signInOnce();
  sleep(0.5);
}
