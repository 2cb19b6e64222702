export * from './services';
export * from './routes';
