import { randomFillSync } from 'node:crypto';

/**
 * Random hex ids cut from a buffer of random bytes drawn 4 KiB at a time (one `randomFillSync` per
 * 4 KiB of ids instead of a system call per id): request ids, and the ids of traces the sampler
 * drops.
 */
class RandomIdPool {
  private readonly pool = Buffer.alloc(4096);
  private offset = this.pool.length;

  /** `bytes` random bytes (at most 64) as 2 × `bytes` lower-case hex digits. */
  hex(bytes: number): string {
    if (this.offset + bytes > this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const id = this.pool.toString('hex', this.offset, this.offset + bytes);
    this.offset += bytes;
    return id;
  }
}

export const randomIds = new RandomIdPool();
