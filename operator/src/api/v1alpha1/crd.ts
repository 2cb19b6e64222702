import { aegisTenantSpecSchema, GROUP, KIND, VERSION } from '@aegis/common';
import { aegisTenantStatusSchema } from './status';
import { type CelRule, type SchemaNode, toStructuralSchema } from './structural';

export const PLURAL = 'aegistenants';
export const SINGULAR = 'aegistenant';
export const SHORT_NAMES = ['at'] as const;
export const CRD_NAME = `${PLURAL}.${GROUP}`;

const BURST_RULE = 'self.burst <= self.requestsPerMinute';

/** The tenant name rule of the shared zod schema (a lowercase DNS label of at most 63 characters),
 * as CEL. A CRD schema may not put validations on `metadata` itself, but a rule on the root object
 * can read `self.metadata.name`, so `kubectl apply` refuses `acme.corp` before the operator sees it
 * (ADR 0023). */
export const TENANT_NAME_RULE: CelRule = {
  rule: "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
  message:
    'metadata.name must be a lowercase DNS label (a-z, 0-9 and -, at most 63 characters): it is the tenant id',
  messageExpression:
    "'metadata.name ' + self.metadata.name + ' is not a lowercase DNS label (a-z, 0-9 and -, at most 63 characters): it is the tenant id'",
  // No fieldPath: the API server refuses one that points into metadata; the message names the field.
  reason: 'FieldValueInvalid',
};

/** The spec schema from the zod source, plus what only a CRD can say: list semantics, caps on maps
 * and CEL rules for the cross-field checks the zod refinements make. */
export function specSchema(): SchemaNode {
  return toStructuralSchema(aegisTenantSpecSchema, {
    '': {
      description: 'Desired state of the tenant: identity, quotas, reachable services and settings.',
      'x-kubernetes-validations': [
        {
          rule: '!has(oldSelf.tenantId) || has(self.tenantId)',
          message: 'spec.tenantId cannot be removed once set',
          fieldPath: '.tenantId',
          reason: 'FieldValueForbidden',
        },
      ],
    },
    tenantId: {
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.tenantId is immutable' }],
    },
    rateLimit: {
      'x-kubernetes-validations': [
        {
          rule: BURST_RULE,
          message: 'spec.rateLimit.burst must not exceed spec.rateLimit.requestsPerMinute',
          fieldPath: '.burst',
        },
      ],
    },
    'rateLimit.routes': { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
    'rateLimit.routes[]': {
      description: 'A quota override for the public paths under pathPrefix.',
      'x-kubernetes-validations': [
        {
          rule: BURST_RULE,
          message: 'spec.rateLimit.routes[].burst must not exceed the route requestsPerMinute',
          fieldPath: '.burst',
        },
      ],
    },
    services: { 'x-kubernetes-list-type': 'set' },
    'services[]': { description: 'Name of an AEGIS service.' },
    config: {
      maxProperties: 64,
      'x-kubernetes-validations': [
        { rule: 'self.all(k, size(k) <= 253)', message: 'spec.config keys must be at most 253 characters' },
      ],
    },
    'config{}': { description: 'A setting value.' },
  });
}

export function statusSchema(): SchemaNode {
  return toStructuralSchema(aegisTenantStatusSchema, {
    '': { description: 'Observed state of the tenant, written by the operator.' },
    conditions: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] },
    'conditions[]': { description: 'One condition of the tenant (metav1.Condition).' },
  });
}

export function tenantOpenApiSchema(): SchemaNode {
  return {
    type: 'object',
    description:
      'AegisTenant onboards one tenant of the AEGIS platform: its identifier, rate-limit quotas, reachable ' +
      'services, settings and bootstrap administrator. The operator compiles it into the gateway configuration.',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'REST resource this object represents.' },
      metadata: { type: 'object' },
      spec: specSchema(),
      status: statusSchema(),
    },
    'x-kubernetes-validations': [
      TENANT_NAME_RULE,
      {
        // Transition rule: only checked on update. Adding tenantId later must not change the id in use.
        rule: 'has(oldSelf.spec.tenantId) || !has(self.spec.tenantId) || self.spec.tenantId == self.metadata.name',
        message: 'spec.tenantId may only be added with the tenant id in use (metadata.name)',
        fieldPath: '.spec.tenantId',
        reason: 'FieldValueForbidden',
      },
    ],
  };
}

/** The CustomResourceDefinition of AegisTenant, generated into operator/config/crd/. */
export function aegisTenantCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: CRD_NAME,
      labels: { 'app.kubernetes.io/name': 'aegis', 'app.kubernetes.io/part-of': 'aegis' },
    },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        plural: PLURAL,
        singular: SINGULAR,
        kind: KIND,
        listKind: `${KIND}List`,
        shortNames: [...SHORT_NAMES],
        categories: ['aegis'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            {
              name: 'Tenant ID',
              type: 'string',
              jsonPath: '.status.tenantId',
              description: 'Tenant identifier in use.',
            },
            {
              name: 'Requests/min',
              type: 'integer',
              jsonPath: '.spec.rateLimit.requestsPerMinute',
              description: 'Requests per minute per identity.',
            },
            {
              name: 'Suspended',
              type: 'boolean',
              jsonPath: '.spec.suspended',
              priority: 1,
              description: 'Whether the gateway refuses the tenant.',
            },
            {
              name: 'Programmed',
              type: 'string',
              jsonPath: '.status.conditions[?(@.type=="Programmed")].status',
              description: 'Whether every running gateway replica runs the tenant at its current generation.',
            },
            {
              name: 'Ready',
              type: 'string',
              jsonPath: '.status.conditions[?(@.type=="Ready")].status',
              priority: 1,
              description: 'Whether the tenant is fully provisioned.',
            },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema: tenantOpenApiSchema() },
        },
      ],
    },
  };
}
