import { randomFillSync } from 'node:crypto';

const POOL_IDS = 4096;
const pool = Buffer.alloc(POOL_IDS * 8);
let next = POOL_IDS;

/** A random, non-zero 64-bit event id (0 means "no id" for rows stored before ids existed). */
export function newEventId(): bigint {
  for (;;) {
    if (next === POOL_IDS) {
      randomFillSync(pool); // one syscall per 4,096 ids instead of one per event
      next = 0;
    }
    const id = pool.readBigUInt64BE(8 * next++);
    if (id !== 0n) return id;
  }
}
