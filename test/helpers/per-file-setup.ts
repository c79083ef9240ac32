/**
 * Runs before every test file (vitest `setupFiles`). The suite runs with `isolate: false`: a worker
 * process runs file after file without reloading the application's modules, which saves every file
 * the import of the server and the compilation of PGlite (vitest.config.ts). What a file changes
 * in the process must therefore not reach the next file: several files set rate-limit variables
 * at their top (`process.env.NEEDS_SUBMIT_RATE_LIMIT = '3'`), so each file starts from the
 * environment the worker started with.
 */
const globalState = globalThis as typeof globalThis & { __starfundWorkerEnv?: Record<string, string | undefined> };
const workerEnv = (globalState.__starfundWorkerEnv ??= { ...process.env });

for (const key of Object.keys(process.env)) if (!(key in workerEnv)) delete process.env[key];
for (const [key, value] of Object.entries(workerEnv)) if (value !== undefined) process.env[key] = value;
