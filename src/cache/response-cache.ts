// The stage cache's storage (data-plane.md §9): final method responses by cache key, each with its own TTL.
// In process by default (this file); shared by every worker and node through Redis when TOLLGATE_REDIS_URL is set
// (redis-response-cache.ts). Keys begin with `{apiId}/{stageName}` + NUL, so FlushStageCache can drop one stage.
// Caching is best effort: a store that cannot answer is a miss, never an error.

export interface CachedResponse {
  readonly status: number;
  /** `[name, value, …]`, without the per-request headers (request ids, Content-Length). */
  readonly headers: readonly string[];
  readonly body: Buffer;
}

export interface ResponseCache {
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  set(key: string, response: CachedResponse, ttlSeconds: number): void;
  /** FlushStageCache: every entry of one stage. */
  flush(restApiId: string, stageName: string): void | Promise<void>;
  /** Lookups answered from the cache and lookups that were not (CacheHitCount / CacheMissCount). */
  readonly stats: { hits: number; misses: number };
  close(): Promise<void>;
}

/** AWS caches responses up to 1 MB; larger ones are served and not kept. */
export const MAX_CACHED_RESPONSE_BYTES = 1_048_576;

export const stageKeyPrefix = (restApiId: string, stageName: string): string => `${restApiId}/${stageName}\u0000`;

interface Entry {
  readonly response: CachedResponse;
  readonly expires: number;
  readonly bytes: number;
}

/** One process's cache: bounded in bytes, least recently used entries go first. */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly maxBytes = 256 * 1_048_576) {}

  get(key: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expires <= now) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    // Re-inserted: Map order is the recency order eviction follows.
    this.entries.set(key, entry);
    return entry.response;
  }

  set(key: string, response: CachedResponse, ttlSeconds: number, now = Date.now()): void {
    this.remove(key);
    const bytes = response.body.length + response.headers.reduce((n, h) => n + h.length, 0) + key.length;
    if (bytes > this.maxBytes) return;
    while (this.bytes + bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
    this.entries.set(key, { response, expires: now + ttlSeconds * 1000, bytes });
    this.bytes += bytes;
  }

  flush(restApiId: string, stageName: string): void {
    const prefix = stageKeyPrefix(restApiId, stageName);
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.remove(key);
  }

  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
