import { describe, expect, it } from 'vitest';
import { loadApiConfig } from './api.config';

const prices = {
  STRIPE_PRICE_BASIC_MONTHLY: 'price_bm',
  STRIPE_PRICE_BASIC_YEARLY: 'price_by',
  STRIPE_PRICE_PREMIUM_MONTHLY: 'price_pm',
  STRIPE_PRICE_PREMIUM_YEARLY: 'price_py',
};

describe('billing configuration', () => {
  it('is off without a Stripe key', () => {
    expect(loadApiConfig({}).billing).toBeNull();
  });

  it('reads price ids per plan and interval and the emulator endpoint', () => {
    const config = loadApiConfig({
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      ...prices,
    });
    expect(config.billing).toMatchObject({
      secretKey: 'sk_test_x',
      webhookSecret: 'whsec_x',
      webhookToleranceSeconds: 300,
      endpoint: { host: '127.0.0.1', port: 12111, protocol: 'http' },
      prices: {
        basic: { monthly: 'price_bm', yearly: 'price_by' },
        premium: { monthly: 'price_pm', yearly: 'price_py' },
      },
    });
    expect(
      loadApiConfig({ STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_WEBHOOK_SECRET: 'w', ...prices }).billing
        ?.endpoint,
    ).toBeNull();
  });

  it('refuses a key without the webhook secret or a price, naming each', () => {
    expect(() => loadApiConfig({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_PRICE_BASIC_MONTHLY: 'p' })).toThrow(
      /STRIPE_WEBHOOK_SECRET.*STRIPE_PRICE_BASIC_YEARLY.*STRIPE_PRICE_PREMIUM_MONTHLY/s,
    );
    expect(() =>
      loadApiConfig({
        STRIPE_SECRET_KEY: 'k',
        STRIPE_WEBHOOK_SECRET: 'w',
        ...prices,
        STRIPE_PRICE_BASIC_YEARLY: 'price_bm',
      }),
    ).toThrow(/own price id/);
  });
});
