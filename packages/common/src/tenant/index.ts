export * from './v1alpha1';
