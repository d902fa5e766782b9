// Per-request identifiers on the hot path. Their random bytes are drawn from a pooled buffer, refilled a few
// kilobytes at a time, instead of a synchronous crypto call per request (the same idea as Node's randomUUID cache).
import { randomFillSync } from "node:crypto";

const POOL_SIZE = 8192;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** The offset of `n` fresh random bytes in `pool`. */
function take(n: number): number {
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += n;
  return at;
}

/** 16 characters ending in "=", like AWS's `x-amz-apigw-id` / `$context.extendedRequestId`. */
export function nextExtendedRequestId(): string {
  const at = take(11);
  return pool.toString("base64", at, at + 11).slice(0, 15) + "=";
}

/** `2 * bytes` random lower-case hex digits (X-Ray trace and segment ids). */
export function nextRandomHex(bytes: number): string {
  const at = take(bytes);
  return pool.toString("hex", at, at + bytes);
}
