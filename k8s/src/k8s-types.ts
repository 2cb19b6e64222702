/** The Kubernetes object types of the official client (an ES module; types only, nothing loaded). */
export type {
  V1Container,
  V1EnvVar,
  V1PodSpec,
  V1Probe,
  V1ResourceRequirements,
  V1ServicePort,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
