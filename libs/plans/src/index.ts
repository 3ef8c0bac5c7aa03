export * from './plans';
export * from './effective-plan';
export * from './capacity-contract';
export * from './quota-state-machine';
export * from './plan-features';
