/** One jest run for the whole repository. Unit tests sit beside the code; suites that start
 * processes or servers live under e2e/test. Workspace packages resolve to their sources. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/src/**/*.test.ts', '**/e2e/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^@aegis/common$': '<rootDir>/packages/common/src/index.ts',
    '^@aegis/graph-client$': '<rootDir>/packages/graph-client/src/index.ts',
    '^@aegis/graph-client/testing$': '<rootDir>/packages/graph-client/src/testing/index.ts',
    '^@aegis/demo$': '<rootDir>/packages/demo/src/index.ts',
    '^@aegis/kube$': '<rootDir>/packages/kube/src/index.ts',
    '^@aegis/kube/testing$': '<rootDir>/packages/kube/src/testing/index.ts',
    '^@aegis/testing$': '<rootDir>/packages/testing/src/index.ts',
    '^@aegis/testing/(.*)$': '<rootDir>/packages/testing/src/$1',
    '^@aegis/gateway$': '<rootDir>/gateway/src/index.ts',
    '^@aegis/auth$': '<rootDir>/services/auth/src/index.ts',
    '^@aegis/knowledge-graph$': '<rootDir>/services/knowledge-graph/src/index.ts',
    '^@aegis/ingestion$': '<rootDir>/services/ingestion/src/index.ts',
    '^@aegis/compliance-monitor$': '<rootDir>/services/compliance-monitor/src/index.ts',
    '^@aegis/flaring-monitor$': '<rootDir>/services/flaring-monitor/src/index.ts',
    '^@aegis/approvals$': '<rootDir>/services/approvals/src/index.ts',
    '^@aegis/memory$': '<rootDir>/services/memory/src/index.ts',
    '^@aegis/orchestration$': '<rootDir>/services/orchestration/src/index.ts',
    '^@aegis/e2e$': '<rootDir>/e2e/src/index.ts',
    '^@aegis/k8s$': '<rootDir>/k8s/src/index.ts',
    '^@aegis/operator$': '<rootDir>/operator/src/index.ts',
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
