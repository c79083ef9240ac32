import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root directory (the one holding package.json), found upward from this module, so
 * that files read at run time (migrations, seed data, generated docs) are found the same way from
 * the TypeScript sources (server/src/common/) and from the bundle (dist/server/ or its chunks/),
 * whatever the working directory (ADR 0020).
 */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** A path under the project root, e.g. `fromRoot('server/src/db/migrations')`. */
export const fromRoot = (...segments: string[]): string => path.join(projectRoot, ...segments);
