export * from './controlplane';
export * from './drills';
export * from './fleet/replicas';
