import { describe, expect, it } from 'vitest';
import { FlushGate } from './audit.flush-gate.js';

/** A pass the test drives by hand: it reads "the inbox" when told, then finishes when told. */
function manualPasses() {
  const passes: { collect: () => void; finish: (n: number) => void; fail: (e: Error) => void; collected: boolean }[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const gate = new FlushGate((collecting) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    return new Promise<number>((resolve, reject) => {
      const pass = {
        collected: false,
        collect: () => {
          pass.collected = true;
          collecting();
        },
        finish: (n: number) => {
          concurrent--;
          resolve(n);
        },
        fail: (e: Error) => {
          concurrent--;
          reject(e);
        },
      };
      passes.push(pass);
    });
  });
  return { gate, passes, maxConcurrent: () => maxConcurrent };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('flush gate (single flight of chaining passes)', () => {
  it('lets callers share a pass that has not read the inbox yet', async () => {
    const { gate, passes } = manualPasses();
    const a = gate.flush();
    const b = gate.flush();
    expect(passes).toHaveLength(1);
    passes[0]!.collect();
    passes[0]!.finish(3);
    expect(await a).toBe(3);
    expect(await b).toBe(3);
  });

  it('makes a caller arriving after the running pass read the inbox wait for the next pass, shared by all such callers', async () => {
    const { gate, passes, maxConcurrent } = manualPasses();
    const first = gate.flush();
    passes[0]!.collect();
    const late1 = gate.flush();
    const late2 = gate.flush();
    let lateDone = false;
    void late1.then(() => (lateDone = true));
    await tick();
    expect(passes).toHaveLength(1); // never two passes at once
    passes[0]!.finish(1);
    expect(await first).toBe(1);
    await tick();
    expect(lateDone).toBe(false);
    expect(passes).toHaveLength(2);
    // The next pass is open again: a caller now joins it.
    const joined = gate.flush();
    passes[1]!.collect();
    passes[1]!.finish(5);
    expect(await late1).toBe(5);
    expect(await late2).toBe(5);
    expect(await joined).toBe(5);
    expect(maxConcurrent()).toBe(1);
  });

  it('reports a failed pass to its callers and starts afresh on the next call', async () => {
    const { gate, passes } = manualPasses();
    const a = gate.flush();
    passes[0]!.collect();
    const queued = gate.flush();
    passes[0]!.fail(new Error('database gone'));
    await expect(a).rejects.toThrow('database gone');
    await tick();
    expect(passes).toHaveLength(2); // the queued caller still gets a pass of its own
    passes[1]!.collect();
    passes[1]!.finish(2);
    expect(await queued).toBe(2);
    const again = gate.flush();
    expect(passes).toHaveLength(3);
    passes[2]!.collect();
    passes[2]!.finish(0);
    expect(await again).toBe(0);
  });

  it('is idle only once every running and queued pass has finished', async () => {
    const { gate, passes } = manualPasses();
    void gate.flush();
    passes[0]!.collect();
    void gate.flush();
    let idle = false;
    const waiting = gate.idle().then(() => (idle = true));
    passes[0]!.finish(0);
    await tick();
    expect(idle).toBe(false);
    passes[1]!.collect();
    passes[1]!.finish(0);
    await waiting;
    expect(idle).toBe(true);
  });
});
