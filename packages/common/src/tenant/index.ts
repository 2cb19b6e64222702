export * from './v1alpha1';
export * from './access';
export * from './file';
