export * from './parsed';
export * from './api-number';
export * from './rrc';
export * from './resource-id';
