import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Precompression of the built web app (ADR 0019): a `.br` (brotli, quality 11) and a `.gz` (gzip,
 * level 9) beside every text asset of dist/web, written once at build time (`web/vite.config.ts`
 * runs it after the bundle is written), so that the server (`server/src/static.ts`, @fastify/static
 * `preCompressed`) sends the smallest variant the browser accepts and never compresses per request.
 * A variant that would not be smaller than the file is not written (the file is then sent as is).
 * Self-contained (node: modules only): the Vite config imports it.
 */

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats worth compressing; images and fonts in dist/web are compressed already. */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|json|svg|txt|xml|map|webmanifest|ico)$/i;

export interface PrecompressResult {
  files: number;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && COMPRESSIBLE.test(entry.name)) yield full;
  }
}

/** Writes `<file>.br` and `<file>.gz` beside each compressible file under `dir` (old variants are replaced). */
export async function precompressDir(dir: string): Promise<PrecompressResult> {
  const result: PrecompressResult = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  const files: string[] = [];
  for await (const file of walk(dir)) files.push(file);
  // A few at a time: brotli at quality 11 is CPU-bound.
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const raw = await fs.readFile(file);
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          },
        }),
        gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      result.files += 1;
      result.bytes += raw.length;
      for (const [variant, ext] of [
        [br, '.br'],
        [gz, '.gz'],
      ] as const) {
        if (variant.length < raw.length) {
          await fs.writeFile(file + ext, variant);
          if (ext === '.br') result.brotliBytes += variant.length;
          else result.gzipBytes += variant.length;
        } else {
          await fs.rm(file + ext, { force: true });
          if (ext === '.br') result.brotliBytes += raw.length;
          else result.gzipBytes += raw.length;
        }
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return result;
}

/** The Vite plugin: precompresses the output directory once the bundle is written (`vite build` only). */
export function precompressPlugin(): {
  name: string;
  apply: 'build';
  writeBundle: { sequential: boolean; order: 'post'; handler: (options: { dir?: string }) => Promise<void> };
} {
  return {
    name: 'starfund-precompress',
    apply: 'build',
    writeBundle: {
      sequential: true,
      order: 'post',
      handler: async (options) => {
        if (!options.dir) return;
        const r = await precompressDir(options.dir);
        const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
        console.log(`precompressed ${r.files} files: ${kb(r.bytes)} → brotli ${kb(r.brotliBytes)}, gzip ${kb(r.gzipBytes)}`);
      },
    },
  };
}
