export * from './skip';
export * from './redis';
export * from './postgres';
export * from './controlplane';
export * from './processes';
export * from './gateway-harness';
export * from './echo-upstream';
