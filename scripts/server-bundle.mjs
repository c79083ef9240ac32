import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The server bundle (ADR 0020): esbuild compiles the server and every command-line tool from
 * TypeScript into plain ES modules under dist/server/, one file per entry and shared chunks under
 * dist/server/chunks/, so that `node dist/server/main.js` starts without a TypeScript loader.
 * Packages stay external (imported from node_modules at run time): PGlite's wasm and data files,
 * @node-rs/argon2's native binary and pino's worker files are found where npm installed them.
 *
 * Plain JavaScript (not TypeScript) so that it runs on `node` alone: `npm start`, the npm scripts of
 * the commands (through scripts/run-bundled.mjs) and the tests' global setup all call it.
 */

/**
 * Found upward (the nearest package.json), not as this file's parent: the benchmarks' processes
 * import this module, and from their bundle it runs in dist/server/.
 */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const outDir = path.join(projectRoot, 'dist', 'server');
/** What the last build read (project files only) and when it started: the staleness check's input. */
const stampFile = path.join(outDir, 'build-stamp.json');

/** Entry name (dist/server/<name>.js) → source. */
export const ENTRIES = {
  main: 'server/src/main.ts',
  migrate: 'server/src/db/migrate-cli.ts',
  verify: 'server/src/ops/verify-cli.ts',
  backup: 'server/src/ops/backup-cli.ts',
  restore: 'server/src/ops/restore-cli.ts',
  openapi: 'server/src/ops/openapi-cli.ts',
  'error-docs': 'server/src/ops/error-docs-cli.ts',
  'audit-verify': 'server/src/modules/audit/audit.verify-cli.ts',
  'ledger-verify': 'server/src/modules/ledger/ledger.verify-cli.ts',
  reminders: 'server/src/modules/notify/notify.reminders-cli.ts',
  'bench-data': 'bench/data-cli.ts',
  bench: 'bench/run-cli.ts',
  // The benchmarks' baseline server, built like the app so that the cold-start comparison is fair.
  'bare-server': 'bench/bare-server.ts',
};

/** Besides the inputs esbuild reports: a change here changes every output. */
const BUILD_INPUTS = ['scripts/server-bundle.mjs', 'package.json', 'tsconfig.json'];

/** Chunks no longer produced are removed once this old: a server started earlier may still import them lazily. */
const STALE_CHUNK_MS = 60 * 60 * 1000;

function findProjectRoot(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The path of an entry's bundled file. */
export function bundlePath(name) {
  if (!(name in ENTRIES)) throw new Error(`unknown bundle entry "${name}" (expected ${Object.keys(ENTRIES).join(', ')})`);
  return path.join(outDir, `${name}.js`);
}

/**
 * Builds every entry. Outputs are written each to a temporary file and renamed into place
 * (chunks first, the entries and the stamp last), so that a process starting from dist/server
 * at the same time sees either the old or the new file, never half of one.
 */
export async function buildServer({ log = false } = {}) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, source]) => [name, source])),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  fs.mkdirSync(path.join(outDir, 'chunks'), { recursive: true });
  const entryFiles = new Set(Object.keys(ENTRIES).flatMap((name) => [`${name}.js`, `${name}.js.map`].map((f) => path.join(outDir, f))));
  const ordered = [...result.outputFiles].sort((a, b) => Number(entryFiles.has(a.path)) - Number(entryFiles.has(b.path)));
  for (const file of ordered) writeAtomically(file.path, file.contents);
  pruneChunks(new Set(result.outputFiles.map((f) => f.path)));
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')), ...BUILD_INPUTS];
  writeAtomically(stampFile, JSON.stringify({ startedAt: started, inputs }));
  if (log)
    console.log(`built dist/server (${Object.keys(ENTRIES).length} entries, ${inputs.length} source files) in ${Date.now() - started} ms`);
  return result;
}

function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

function pruneChunks(current) {
  const dir = path.join(outDir, 'chunks');
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (current.has(file)) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > STALE_CHUNK_MS) fs.rmSync(file, { force: true });
    } catch {
      // removed by another build meanwhile
    }
  }
}

/**
 * Why the bundle must be rebuilt, or null when it is current: a missing stamp or entry, or a source
 * file it was built from changed (or vanished) since that build started. A new source file matters
 * only once an existing one imports it, and that import is a change to an input.
 */
export function staleReason() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return 'not built yet';
  }
  for (const name of Object.keys(ENTRIES)) if (!fs.existsSync(bundlePath(name))) return `${name}.js is missing`;
  for (const input of stamp.inputs) {
    let mtimeMs;
    try {
      mtimeMs = fs.statSync(path.join(projectRoot, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (mtimeMs >= stamp.startedAt) return `${input} changed`;
  }
  return null;
}

/** Builds the bundle when it is stale; returns whether it did. */
export async function ensureServerBundle({ log = false } = {}) {
  const reason = staleReason();
  if (reason === null) return false;
  if (log) console.error(`dist/server is stale (${reason}): building…`);
  await buildServer({ log: false });
  return true;
}

// `node scripts/server-bundle.mjs` (npm run build:server): build unconditionally. (Bundled into the
// benchmarks' commands, this module's URL is a file of dist/server, never this script's.)
const runDirectly = process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (runDirectly && import.meta.url.endsWith('/scripts/server-bundle.mjs')) {
  await buildServer({ log: true });
}
