import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One node of a sampled heap profile (`HeapProfiler.SamplingHeapProfileNode`). */
interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

/** What a replica allocated over a run, from allocation-sampler.ts's profile. */
export interface AllocationSummary {
  readonly totalMb: number;
  /** Share of the total by the innermost privlink function (`src/…`) on the allocating stack; `(none)` when no privlink frame is on it (callbacks of libraries, promise jobs). */
  readonly byPrivlinkFrame: ReadonlyArray<{ readonly frame: string; readonly share: number }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the replica `pid` (preloaded with allocation-sampler.ts) for its profile and waits up to 60 s for it. */
export async function takeAllocationProfile(dir: string, pid: number, top = 12): Promise<AllocationSummary> {
  const file = join(dir, `${pid}.heapprofile`);
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 60_000; waited += 250) {
    await sleep(250);
    if (!existsSync(file)) continue;
    try {
      return summarize((JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode }).head, top);
    } catch {
      // still being written
    }
  }
  throw new Error(`replica ${pid} wrote no allocation profile to ${file} in 60 s`);
}

function summarize(head: ProfileNode, top: number): AllocationSummary {
  let total = 0;
  const byFrame = new Map<string, number>();
  const walk = (node: ProfileNode, privlink: string) => {
    const { url, functionName, lineNumber } = node.callFrame;
    const at = url.indexOf('/dist/src/');
    const frame = at >= 0 ? `${functionName || '(anonymous)'} ${url.slice(at + '/dist/src/'.length)}:${lineNumber + 1}` : privlink;
    total += node.selfSize;
    if (node.selfSize > 0) byFrame.set(frame, (byFrame.get(frame) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, frame);
  };
  walk(head, '(none)');
  const byPrivlinkFrame = [...byFrame]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, bytes]) => ({ frame, share: bytes / total }));
  return { totalMb: total / 2 ** 20, byPrivlinkFrame };
}
