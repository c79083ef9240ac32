import { ensureServerBundle } from '../../scripts/server-bundle.mjs';

/** The browser tests' server is the bundle, as `npm start` runs it (ADR 0020): built once here when stale. */
export default async function setup() {
  await ensureServerBundle();
}
