export * from './types';
export * from './define';
export * from './events';
export * from './human-task';
export * from './links';
export * from './external-event';
export * from './collect';
export * from './delivery';
