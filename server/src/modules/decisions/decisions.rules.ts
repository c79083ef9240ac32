/**
 * Pure rules of the democratic decision ([N 3], [N 3.1.2(1)]), by topic: the procedure, its bodies
 * and the vote (decisions.procedure.rules.ts); the notice and objections (decisions.objections.rules.ts); the
 * decided list against the allocation (decisions.allocation.rules.ts).
 */
export * from './decisions.procedure.rules.js';
export * from './decisions.objections.rules.js';
export * from './decisions.allocation.rules.js';
