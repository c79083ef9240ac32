import { parseArgs } from 'node:util';
import { benchTarget, describeTarget, openTarget, resetTarget } from './database.js';
import { loadScale } from './load.js';
import { scaleByName, SCALE_NAMES } from './scales.js';
import { Clock } from '../server/src/common/clock.js';
import { loadConfig } from '../server/src/config.js';

/**
 * `npm run bench:data -- --scale city|province|national [--seed N] [--as-of YYYY-MM-DD]`:
 * recreates the scale's benchmark database and fills it with the generated rows.
 */
const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'city' }, seed: { type: 'string', default: '20260' }, 'as-of': { type: 'string' } },
});
const scale = scaleByName(values.scale!);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
const asOf = values['as-of'] ?? new Clock(loadConfig().now).today();
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error('--as-of must be YYYY-MM-DD');

const target = benchTarget(scale.name);
console.log(`bench:data ${scale.label} (seed ${seed}, as of ${asOf}) → ${describeTarget(target)}; scales: ${SCALE_NAMES.join(', ')}`);
await resetTarget(target);
const database = await openTarget(target);
try {
  let last = 0;
  const result = await loadScale(database, scale, { seed, asOf }, (done) => {
    const now = performance.now();
    if (now - last > 5_000) {
      last = now;
      console.log(`  … ${done.toLocaleString('en')} / ${scale.communities.toLocaleString('en')} communities`);
    }
  });
  const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
  console.log(
    `loaded ${total.toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s (${result.rowsPerSecond.toLocaleString('en')} rows/s), digest ${result.digest.slice(0, 16)}`,
  );
  for (const [table, n] of Object.entries(result.rows)) if (n) console.log(`  ${table.padEnd(24)} ${n.toLocaleString('en').padStart(12)}`);
  console.log(
    `  steps: ${Object.entries(result.steps)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
} finally {
  await database.close();
}
