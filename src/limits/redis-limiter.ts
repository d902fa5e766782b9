// Throttling shared by every node through Redis: the same token buckets as the local limiter, but decisions (all
// levels of a request, for every request of one event-loop turn) are one Lua script, so concurrent nodes never
// read-then-write a bucket.
// Time comes from the Redis server (TIME), so nodes with skewed clocks still share one timeline.
// When Redis is unreachable the limiter follows its configured outage policy: "local" falls back to in-process
// buckets (limits hold per node), "closed" refuses with THROTTLED; both are logged and counted.
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { bucketName, LocalLimiter, type Limiter, type ThrottleCheck, type ThrottleDecision } from "./local-limiter.js";

/**
 * Decides a batch of requests in one script, in order, as if each had been its own script call.
 * KEYS: the distinct buckets of the batch, one hash each {t = tokens, l = last refill ms}.
 * ARGV: the number of requests, then per request its number of checks and, per check, (key index, burst, rate).
 * Each bucket is read once and written once; per request the reply holds 0 when admitted (one token taken from
 * every bucket) or {check index (1-based), ms until a token, -1 = never}.
 */
const ADMIT_BATCH_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local buckets = {}
local function bucket(ki, burst, rate)
  local b = buckets[ki]
  if b == nil then
    local state = redis.call('HMGET', KEYS[ki], 't', 'l')
    local t = tonumber(state[1])
    local l = tonumber(state[2])
    if t == nil then
      t = burst
    elseif now > l and rate > 0 then
      t = t + (now - l) / 1000 * rate
    end
    b = { t = t, dirty = false }
    buckets[ki] = b
  end
  b.burst = burst
  b.rate = rate
  if b.t > burst then b.t = burst end
  return b
end
local replies = {}
local p = 2
for r = 1, tonumber(ARGV[1]) do
  local count = tonumber(ARGV[p])
  p = p + 1
  local taken = {}
  local refused = nil
  for i = 1, count do
    if refused == nil then
      local burst = tonumber(ARGV[p + 1])
      local rate = tonumber(ARGV[p + 2])
      local b = bucket(tonumber(ARGV[p]), burst, rate)
      if b.t < 1 then
        local wait = -1
        if rate > 0 and burst >= 1 then wait = math.ceil((1 - b.t) / rate * 1000) end
        refused = {i, wait}
      else
        taken[#taken + 1] = b
      end
    end
    p = p + 3
  end
  if refused == nil then
    for _, b in ipairs(taken) do
      b.t = b.t - 1
      b.dirty = true
    end
    replies[r] = 0
  else
    replies[r] = refused
  end
end
for ki, b in pairs(buckets) do
  if b.dirty then
    redis.call('HSET', KEYS[ki], 't', b.t, 'l', now)
    local ttl = 60000
    if b.rate > 0 then ttl = math.ceil(b.burst / b.rate * 1000) + 1000 end
    redis.call('PEXPIRE', KEYS[ki], ttl)
  end
end
return replies
`;

/** Requests decided in one script call at most; more wait for the next. */
const MAX_BATCH = 256;

export type RedisOutagePolicy = "local" | "closed";

export interface RedisLimiterOptions {
  readonly url: string;
  /** Namespace of every key, so several gateways (or test runs) can share one Redis. */
  readonly prefix?: string;
  readonly onOutage?: RedisOutagePolicy;
  readonly logger?: Logger;
}

type AdmitReply = 0 | [number, number];

interface RedisWithAdmit extends Redis {
  tollgateAdmitBatch(numKeys: number, ...args: (string | number)[]): Promise<AdmitReply[]>;
}

interface PendingAdmit {
  readonly checks: readonly ThrottleCheck[];
  readonly now: number;
  readonly resolve: (decision: ThrottleDecision) => void;
}

export class RedisLimiter implements Limiter {
  private readonly redis: RedisWithAdmit;
  private readonly prefix: string;
  private readonly policy: RedisOutagePolicy;
  private readonly fallback = new LocalLimiter();
  private readonly logger: Logger | undefined;
  private outageLogged = false;
  /** Settles when the first connection is ready (or failed): decisions wait for it instead of falling back. */
  private firstConnect: Promise<void> | undefined;
  /** Decisions taken without Redis since start (visible in metrics). */
  outageDecisions = 0;
  /** Bucket keys of the checks compiled once per method, so a request builds no key string. */
  private readonly keys = new WeakMap<ThrottleCheck, string>();
  /** Requests of this event-loop turn, decided together once the turn's I/O has been read. */
  private pending: PendingAdmit[] = [];
  private flushScheduled = false;

  constructor(options: RedisLimiterOptions) {
    this.prefix = options.prefix ?? "tollgate";
    this.policy = options.onOutage ?? "local";
    this.logger = options.logger;
    // No offline queue: during an outage a decision must fail fast to the outage policy, not wait. The requests of one
    // event-loop turn (many, under load) are decided by one script call (admit below).
    this.redis = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false }) as RedisWithAdmit;
    this.redis.on("error", (err: Error) => this.noteOutage(err));
    this.redis.on("ready", () => {
      if (this.outageLogged) this.logger?.info("Redis is reachable again; shared throttling resumed");
      this.outageLogged = false;
    });
    this.redis.defineCommand("tollgateAdmitBatch", { lua: ADMIT_BATCH_SCRIPT });
    this.firstConnect = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.firstConnect = undefined;
        resolve();
      };
      const timer = setTimeout(done, 2000);
      this.redis.once("ready", done);
      this.redis.once("error", done);
    });
  }

  /**
   * Queues the request for this turn's batch: once the turn's I/O has been read (setImmediate), every request it
   * brought is decided by one script call, so Redis and the client pay per batch, not per request. Decisions are
   * taken in arrival order, exactly as separate calls would have been.
   */
  admit(checks: readonly ThrottleCheck[], now: number): ThrottleDecision | Promise<ThrottleDecision> {
    if (checks.length === 0) return { allowed: true };
    return new Promise((resolve) => {
      this.pending.push({ checks, now, resolve });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    if (this.firstConnect) await this.firstConnect;
    this.flushScheduled = false;
    const batch = this.pending.length <= MAX_BATCH ? this.pending : this.pending.slice(0, MAX_BATCH);
    this.pending = batch === this.pending ? [] : this.pending.slice(MAX_BATCH);
    if (this.pending.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
    const keyIndex = new Map<string, number>();
    const args: (string | number)[] = [batch.length];
    for (const { checks } of batch) {
      args.push(checks.length);
      for (const check of checks) {
        const key = this.keyOf(check);
        let index = keyIndex.get(key);
        if (index === undefined) {
          index = keyIndex.size + 1;
          keyIndex.set(key, index);
        }
        args.push(index, check.rule.burstLimit, check.rule.rateLimit);
      }
    }
    let replies: AdmitReply[];
    try {
      replies = await this.redis.tollgateAdmitBatch(keyIndex.size, ...keyIndex.keys(), ...args);
    } catch (err) {
      this.noteOutage(err as Error);
      for (const request of batch) request.resolve(this.decideWithoutRedis(request.checks, request.now));
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const { checks, resolve } = batch[i]!;
      const reply = replies[i]!;
      if (reply === 0) resolve({ allowed: true });
      else resolve({ allowed: false, level: checks[reply[0] - 1]!.level, retryAfterMs: reply[1] < 0 ? Infinity : reply[1] });
    }
  }

  private decideWithoutRedis(checks: readonly ThrottleCheck[], now: number): ThrottleDecision {
    this.outageDecisions++;
    if (this.policy === "local") return this.fallback.admit(checks, now);
    return { allowed: false, level: checks[0]!.level, retryAfterMs: 1000 };
  }

  private keyOf(check: ThrottleCheck): string {
    let key = this.keys.get(check);
    if (key === undefined) {
      key = `${this.prefix}:tb:${bucketName(check)}`;
      this.keys.set(check, key);
    }
    return key;
  }

  private noteOutage(err: Error): void {
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.logger?.error({ err: err.message, policy: this.policy }, "Redis unavailable; throttling follows the outage policy");
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
