// Per-request identifiers on the hot path. `x-amz-apigw-id` needs 11 random bytes per request; drawing them
// from a pooled buffer avoids a synchronous crypto call per request (the same idea as Node's randomUUID cache).
import { randomFillSync } from "node:crypto";

const POOL_SIZE = 11 * 512;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** 16 characters ending in "=", like AWS's `x-amz-apigw-id` / `$context.extendedRequestId`. */
export function nextExtendedRequestId(): string {
  if (offset + 11 > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString("base64", offset, offset + 11).slice(0, 15) + "=";
  offset += 11;
  return id;
}
