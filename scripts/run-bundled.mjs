import { bundlePath, ensureServerBundle } from './server-bundle.mjs';

/**
 * `node scripts/run-bundled.mjs <entry> [args…]`: runs one of the bundled commands
 * (scripts/server-bundle.mjs ENTRIES, e.g. `verify`), rebuilding dist/server first only when a
 * source file changed since it was built (ADR 0020). The command runs in this process, with
 * `process.argv` as if it had been started as `node dist/server/<entry>.js [args…]`.
 */
const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error('usage: node scripts/run-bundled.mjs <entry> [args…]');
  process.exit(2);
}
const entry = bundlePath(name);
await ensureServerBundle({ log: true });
process.argv = [process.argv[0], entry, ...args];
await import(entry);
