export * from './controlplane';
export * from './drills';
