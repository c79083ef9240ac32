/**
 * The policy document's schema now lives in policy.schemas.ts with the module's other schemas;
 * this file keeps the old import path working for the modules that read the document.
 */
export { PolicyDocument } from './policy.schemas.js';
