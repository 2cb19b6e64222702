/** The demo data set lives in @aegis/demo, the one scenario every service seeds from; the knowledge
 * graph loads its entities, edges and production (store/seed.ts). */
export { buildDemoDataset, type DemoDataset } from '@aegis/demo';
