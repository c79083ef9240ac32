import fs from 'node:fs';
import path from 'node:path';
import { renderErrorCatalogue } from './error-docs.js';

/** `npm run docs:errors`: writes docs/errors.md from the error catalogue (common/error-codes.ts). */
const target = path.resolve('docs/errors.md');
fs.writeFileSync(target, renderErrorCatalogue());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
