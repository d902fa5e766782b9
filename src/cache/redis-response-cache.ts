// The stage cache in Redis, shared by every worker and node: one string per entry with Redis's own expiry (PX).
// The value is [4-byte length][JSON {status, headers}][body]. Redis unreachable: every lookup is a miss and
// nothing is stored — caching is best effort, the integration still answers.
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { CachedResponse, ResponseCache } from "./response-cache.js";

export interface RedisResponseCacheOptions {
  readonly url: string;
  /** Namespace of every key (the same per-deployment prefix the limiter uses). */
  readonly prefix: string;
  readonly logger?: Logger;
}

export class RedisResponseCache implements ResponseCache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private warned = false;
  /** Writes not yet acknowledged; close() lets them land rather than dropping the newest entries. */
  private readonly writes = new Set<Promise<unknown>>();
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly options: RedisResponseCacheOptions) {
    this.prefix = `${options.prefix}:rc:`;
    this.redis = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, enableAutoPipelining: true });
    this.redis.on("error", (err: Error) => this.warn(err));
    this.redis.on("ready", () => (this.warned = false));
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let value: Buffer | null;
    try {
      value = await this.redis.getBuffer(this.prefix + key);
    } catch (err) {
      this.warn(err as Error);
      return undefined;
    }
    return value === null ? undefined : decode(value);
  }

  set(key: string, response: CachedResponse, ttlSeconds: number): void {
    const write = this.redis
      .set(this.prefix + key, encode(response), "PX", Math.max(1, Math.round(ttlSeconds * 1000)))
      .catch((err: Error) => this.warn(err))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /**
   * Nothing to do: FlushStageCache bumps the stage's cache epoch, which is part of every key, so the stage's old
   * entries are already unreachable and Redis expires them on their own (PX). Scanning the shared keyspace for
   * them would cost every node's Redis a full SCAN for no change in behaviour.
   */
  flush(): void {}

  async close(): Promise<void> {
    await Promise.allSettled([...this.writes]);
    this.redis.disconnect();
  }

  private warn(err: Error): void {
    if (this.warned) return;
    this.warned = true;
    this.options.logger?.warn({ err: err.message }, "stage cache: Redis unavailable; requests go to their integrations");
  }
}

function encode(response: CachedResponse): Buffer {
  const meta = Buffer.from(JSON.stringify({ status: response.status, headers: response.headers }));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(meta.length);
  return Buffer.concat([length, meta, response.body]);
}

function decode(value: Buffer): CachedResponse | undefined {
  if (value.length < 4) return undefined;
  const metaLength = value.readUInt32BE(0);
  try {
    const meta = JSON.parse(value.subarray(4, 4 + metaLength).toString("utf8")) as { status: number; headers: string[] };
    return { status: meta.status, headers: meta.headers, body: value.subarray(4 + metaLength) };
  } catch {
    return undefined;
  }
}
