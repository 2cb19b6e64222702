export * from './stack';
export * from './run';
export * from './env';
