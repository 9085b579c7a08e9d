export * from './test-database';
export * from './recording-bus';
export * from './plays';
