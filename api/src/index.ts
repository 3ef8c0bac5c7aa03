export { createApi } from './create-api';
/** For browser tests that sign in with two-factor codes, as an authenticator app would compute them. */
export { totpCode } from './two-factor/totp';
