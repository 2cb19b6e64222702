export {
  aegisTenantSchema,
  aegisTenantSpecSchema,
  API_VERSION,
  GROUP,
  KIND,
  VERSION,
  tenantIdOf,
  type AegisTenant,
  type AegisTenantSpec,
} from '@aegis/common';
export * from './status';
export * from './crd';
export * from './structural';
