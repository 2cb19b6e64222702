export * from './parsed';
export * from './api-number';
export * from './rrc';
