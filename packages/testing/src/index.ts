/** Test support for every package's tests, e2e and bench. Service helpers that pull in a whole
 * service are subpaths: `@aegis/testing/auth`, `@aegis/testing/ingestion`, `@aegis/testing/approvals`. */
export * from './listen';
export * from './token-issuer';
export * from './token-authority';
export * from './skip';
export * from './processes';
export * from './services';
export * from './proc';
export * from './tools';
export * from './postgres';
export * from './redis';
export * from './echo-upstream';
export * from './fake-flaring-monitor';
export * from './gateway';
export * from './raw-http';
export * from './sse';
export * from './platform';
export * from './json-request';
export * from './scripted-llm';
export * from './route-harness';
