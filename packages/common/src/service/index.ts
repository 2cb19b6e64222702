export * from './stack';
export * from './run';
