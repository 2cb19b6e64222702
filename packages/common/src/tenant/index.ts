export * from './v1alpha1';
export * from './access';
