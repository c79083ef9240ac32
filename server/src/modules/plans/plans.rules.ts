/**
 * Pure rules of the usage plan, by topic: rule ids, labels, return steps and the filing route
 * (plans.review.rules.ts); text matching (plans.matching.rules.ts); the compliance list and
 * `checkPlan` (plans.compliance.rules.ts); area plans' figures, members' procedure and
 * shares (plans.area.rules.ts).
 */
export * from './plans.review.rules.js';
export * from './plans.matching.rules.js';
export * from './plans.compliance.rules.js';
export * from './plans.area.rules.js';
