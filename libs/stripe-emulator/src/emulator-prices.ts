import { planOf, type BillingInterval, type PaidPlanCode } from '@sightline/plans';
import type { EmulatorPrice } from './stripe-emulator';

/** The price ids `npm start` and the tests configure, one per paid plan and interval. */
export const EMULATOR_PRICE_ENV = {
  STRIPE_PRICE_BASIC_MONTHLY: 'price_emulator_basic_monthly',
  STRIPE_PRICE_BASIC_YEARLY: 'price_emulator_basic_yearly',
  STRIPE_PRICE_PREMIUM_MONTHLY: 'price_emulator_premium_monthly',
  STRIPE_PRICE_PREMIUM_YEARLY: 'price_emulator_premium_yearly',
} as const;

/** Emulator prices for the configured ids, priced and labelled from the plan table. */
export function emulatorPrices(
  env: Partial<Record<keyof typeof EMULATOR_PRICE_ENV, string>> = EMULATOR_PRICE_ENV,
): EmulatorPrice[] {
  const prices: EmulatorPrice[] = [];
  for (const [plan, interval] of [
    ['basic', 'monthly'],
    ['basic', 'yearly'],
    ['premium', 'monthly'],
    ['premium', 'yearly'],
  ] as [PaidPlanCode, BillingInterval][]) {
    const key =
      `STRIPE_PRICE_${plan.toUpperCase()}_${interval.toUpperCase()}` as keyof typeof EMULATOR_PRICE_ENV;
    const p = planOf(plan);
    prices.push({
      id: env[key] ?? EMULATOR_PRICE_ENV[key],
      label: `${p.name} (${interval})`,
      interval: interval === 'monthly' ? 'month' : 'year',
      unitAmount: p.displayPrice[interval],
      product: `prod_emulator_${plan}`,
    });
  }
  return prices;
}
