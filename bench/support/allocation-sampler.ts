// Preloaded into a benchmark's replica (`node --import <this file>`) when BENCH_ALLOCATIONS_DIR is
// set: samples what the replica's main thread allocates from its start, kept or collected alike
// (V8's sampling heap profiler with includeObjectsCollectedByMajorGC / MinorGC, one sample per
// 16 KiB on average), and on SIGUSR2 writes the profile to `<BENCH_ALLOCATIONS_DIR>/<pid>.heapprofile`
// (the format of Chrome DevTools' "Allocation sampling"; allocation-profile.ts summarises it).
// It costs the replica time: profile runs are for where the garbage comes from, not for timing.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.BENCH_ALLOCATIONS_DIR;
if (isMainThread && dir) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  process.on('SIGUSR2', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) process.stderr.write(`allocation sampling: ${error.message}\n`);
      else writeFileSync(join(dir, `${process.pid}.heapprofile`), JSON.stringify(result.profile));
    });
  });
}
