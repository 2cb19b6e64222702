import { complianceMonitorAgent } from './compliance-monitor-agent';
import { flaringMonitorAgent } from './flaring-monitor-agent';
import { generalAssistant } from './general-assistant';
import { rule32Agent } from './rule32-agent';
import { rule37Agent } from './rule37-agent';

/** The bundled agent definition files (TypeScript data modules, so the build ships them; each is
 * validated by the loader exactly like a JSON file of AGENTS_DIR), by file name. */
export const BUNDLED_DEFINITIONS: Readonly<Record<string, unknown>> = {
  'general-assistant': generalAssistant,
  'rule37-agent': rule37Agent,
  'rule32-agent': rule32Agent,
  'compliance-monitor-agent': complianceMonitorAgent,
  'flaring-monitor-agent': flaringMonitorAgent,
};
