export * from './stripe-emulator';
export * from './form-body';
export * from './emulator-prices';
