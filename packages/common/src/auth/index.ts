export * from './identity';
export * from './claims';
export * from './jwks';
export * from './lru';
export * from './revocation-state';
export * from './revocation';
export * from './verifier';
