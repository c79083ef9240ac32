export * from './regions.js';
export * from './auth.js';
export * from './policy.js';
export * from './calendar.js';
export * from './audit.js';
export * from './meta.js';
export * from './households.js';
export * from './needs.js';
