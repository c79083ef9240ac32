/**
 * All TypeBox request and response schemas of the procurement module, split by use case: the shared
 * enumerations and inputs, providers, procurements and contracts, payments.
 */
export * from './procurement.common.schemas.js';
export * from './procurement.providers.schemas.js';
export * from './procurement.contracts.schemas.js';
export * from './procurement.payments.schemas.js';
