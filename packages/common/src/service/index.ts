export * from './app';
export * from './env';
export * from './run';
export * from './verifier';
export * from './identity';
export * from './sweeper';
export * from './alerts';
export * from './scheduled-sweep';
