import type { Construct } from 'constructs';
import { addPostgresql, addRedis } from '../constructs/datastores';
import { addGateway } from '../constructs/gateway';
import { addNetworkPolicies } from '../constructs/network';
import { addObservability } from '../constructs/observability';
import { addAdmissionWebhook } from '../constructs/webhook';
import { addOperator } from '../constructs/operator';
import { addExternalUrls, addIngress, addNamespace } from '../constructs/platform';
import { addRoutesConfig } from '../constructs/routes';
import { addPlannedServices, addServiceCredentials, addServices } from '../constructs/services';
import { AegisBaseChart, type Manifest } from '../objects';
import type { Binder } from '../render/binder';

export interface PlatformChartProps {
  /** The operator's generated RBAC (operator/config/rbac). */
  operatorRbac: readonly Manifest[];
}

/** Everything of an installation but the CRD: namespace, operator, gateway, the implemented services,
 * data stores, configuration, policies and the optional Ingress. */
export class PlatformChart extends AegisBaseChart {
  constructor(scope: Construct, id: string, binder: Binder, props: PlatformChartProps) {
    super(scope, id, binder);
    addNamespace(this);
    addExternalUrls(this);
    addRoutesConfig(this);
    addOperator(this, props.operatorRbac);
    addAdmissionWebhook(this);
    addGateway(this);
    addServiceCredentials(this);
    addServices(this);
    addPlannedServices(this);
    addRedis(this);
    addPostgresql(this);
    addNetworkPolicies(this);
    addIngress(this);
    addObservability(this);
  }
}
