import fs from 'node:fs';
import path from 'node:path';
import { generateApiFiles } from './openapi.js';
import { projectRoot } from '../common/paths.js';

/**
 * `npm run api:generate`: writes the web client's generated files (the OpenAPI document, its
 * TypeScript types and the server's code→label tables).
 * `npm run api:check` (`-- --check`): regenerates in memory and fails, naming the file, when a
 * committed file is stale.
 */
const check = process.argv.includes('--check');
const root = projectRoot;
try {
  const files = await generateApiFiles();
  const stale: string[] = [];
  for (const file of files) {
    const target = path.join(root, file.path);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === file.content) continue;
    if (check) stale.push(file.path);
    else {
      fs.writeFileSync(target, file.content);
      console.log(`wrote ${file.path}`);
    }
  }
  if (stale.length > 0) {
    for (const file of stale) console.error(`${file} is stale: run npm run api:generate and commit it`);
    process.exitCode = 1;
  } else if (check) console.log('generated API files are up to date');
} catch (e) {
  console.error(`api generation failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
}
