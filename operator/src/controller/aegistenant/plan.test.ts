import type { ConfigMap } from '@aegis/kube';
import { configMapUpToDate, newer, statusUpToDate } from './plan';

const desired: ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'c',
    labels: { a: '1' },
    annotations: { h: 'x' },
    ownerReferences: [{ apiVersion: 'v', kind: 'K', name: 'o', uid: 'u' }],
  },
  data: { k: 'v' },
};

const observed = (
  over: Partial<ConfigMap['metadata']> = {},
  data: Record<string, string> = { k: 'v' },
  owned = ['k'],
): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'c',
    labels: { a: '1', someoneElse: 'y' },
    annotations: { h: 'x' },
    ownerReferences: [{ apiVersion: 'v', kind: 'K', name: 'o', uid: 'u' }],
    managedFields: [
      {
        manager: 'aegis-operator',
        operation: 'Apply',
        fieldsV1: {
          'f:metadata': {
            'f:labels': { 'f:a': {} },
            'f:annotations': { 'f:h': {} },
            'f:ownerReferences': {},
          },
          'f:data': Object.fromEntries(owned.map((k) => [`f:${k}`, {}])),
        },
      },
    ],
    ...over,
  },
  data,
});

describe('configMapUpToDate', () => {
  it('is true when the values match and the manager owns exactly the desired fields', () => {
    expect(configMapUpToDate(desired, observed(), 'aegis-operator')).toBe(true);
  });
  it('is false when the object is missing, or the manager never applied it', () => {
    expect(configMapUpToDate(desired, undefined, 'aegis-operator')).toBe(false);
    expect(configMapUpToDate(desired, observed({ managedFields: [] }), 'aegis-operator')).toBe(false);
    expect(configMapUpToDate(desired, observed(), 'someone-else')).toBe(false);
  });
  it('is false when a value drifted (someone edited the data)', () => {
    expect(configMapUpToDate(desired, observed({}, { k: 'edited' }), 'aegis-operator')).toBe(false);
  });
  it('is false when the manager still owns a key it no longer wants (an apply removes it)', () => {
    expect(
      configMapUpToDate(desired, observed({}, { k: 'v', old: '1' }, ['k', 'old']), 'aegis-operator'),
    ).toBe(false);
  });
  it('ignores keys other managers own', () => {
    expect(configMapUpToDate(desired, observed({}, { k: 'v', theirs: '1' }, ['k']), 'aegis-operator')).toBe(
      true,
    );
  });
  it('is false when the owner reference is missing', () => {
    expect(configMapUpToDate(desired, observed({ ownerReferences: [] }), 'aegis-operator')).toBe(false);
  });
});

describe('statusUpToDate', () => {
  it('compares regardless of key order', () => {
    expect(
      statusUpToDate({ observedGeneration: 1, tenantId: 'a' }, { tenantId: 'a', observedGeneration: 1 }),
    ).toBe(true);
    expect(statusUpToDate({ observedGeneration: 2 }, { observedGeneration: 1 })).toBe(false);
    expect(statusUpToDate({ observedGeneration: 2 }, undefined)).toBe(false);
  });
});

describe('newer', () => {
  const at = (rv: string) => ({
    apiVersion: 'v1',
    kind: 'X',
    metadata: { name: 'x', uid: 'u', resourceVersion: rv },
  });
  it('picks the higher resourceVersion, numerically', () => {
    expect(newer(at('9'), at('10'))!.metadata.resourceVersion).toBe('10');
    expect(newer(at('10'), undefined)!.metadata.resourceVersion).toBe('10');
    expect(newer(undefined, at('3'))!.metadata.resourceVersion).toBe('3');
  });
});
