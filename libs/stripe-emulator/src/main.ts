// Runs the local Stripe emulator (development only); `npm start` starts it when no STRIPE_SECRET_KEY is set.
import { loadStripeEmulatorConfig } from '@sightline/config';
import { StripeEmulator } from './stripe-emulator';
import { emulatorPrices } from './emulator-prices';

const config = loadStripeEmulatorConfig();
const emulator = new StripeEmulator({
  host: config.STRIPE_EMULATOR_HOST,
  port: config.STRIPE_EMULATOR_PORT,
  webhookUrl: config.STRIPE_EMULATOR_WEBHOOK_URL,
  webhookSecret: config.STRIPE_WEBHOOK_SECRET,
  prices: emulatorPrices(config),
});
void emulator.start().then((url) => {
  console.log(
    `stripe emulator (development only) on ${url}, webhooks to ${config.STRIPE_EMULATOR_WEBHOOK_URL}`,
  );
});
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
