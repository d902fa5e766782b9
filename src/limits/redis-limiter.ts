// Throttling shared by every node through Redis: the same token buckets as the local limiter, but each
// decision (all levels of one request) is one Lua script, so concurrent nodes never read-then-write a bucket.
// Time comes from the Redis server (TIME), so nodes with skewed clocks still share one timeline.
// When Redis is unreachable the limiter follows its configured outage policy: "local" falls back to in-process
// buckets (limits hold per node), "closed" refuses with THROTTLED; both are logged and counted.
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { LocalLimiter, type Limiter, type ThrottleCheck, type ThrottleDecision } from "./local-limiter.js";

/**
 * KEYS: one hash per bucket {t = tokens, l = last refill ms}. ARGV: burst, rate pairs in KEYS order.
 * Returns 0 when admitted (one token taken from every bucket), or {index (1-based), ms until a token}.
 */
const ADMIT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tokens = {}
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[i * 2 - 1])
  local rate = tonumber(ARGV[i * 2])
  local state = redis.call('HMGET', key, 't', 'l')
  local t = tonumber(state[1])
  local l = tonumber(state[2])
  if t == nil then
    t = burst
  else
    if now > l and rate > 0 then t = math.min(burst, t + (now - l) / 1000 * rate) end
    if t > burst then t = burst end
  end
  if t < 1 then
    local wait = -1
    if rate > 0 and burst >= 1 then wait = math.ceil((1 - t) / rate * 1000) end
    return {i, wait}
  end
  tokens[i] = t
end
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[i * 2 - 1])
  local rate = tonumber(ARGV[i * 2])
  redis.call('HSET', key, 't', tokens[i] - 1, 'l', now)
  local ttl = 60000
  if rate > 0 then ttl = math.ceil(burst / rate * 1000) + 1000 end
  redis.call('PEXPIRE', key, ttl)
end
return 0
`;

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
  tollgateAdmit(numKeys: number, ...args: (string | number)[]): Promise<AdmitReply>;
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

  constructor(options: RedisLimiterOptions) {
    this.prefix = options.prefix ?? "tollgate";
    this.policy = options.onOutage ?? "local";
    this.logger = options.logger;
    // No offline queue: during an outage a decision must fail fast to the outage policy, not wait. Auto-pipelining:
    // the decisions of one event-loop turn (many, under load) go to Redis in one write and come back in one read.
    this.redis = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false, enableAutoPipelining: true }) as RedisWithAdmit;
    this.redis.on("error", (err: Error) => this.noteOutage(err));
    this.redis.on("ready", () => {
      if (this.outageLogged) this.logger?.info("Redis is reachable again; shared throttling resumed");
      this.outageLogged = false;
    });
    this.redis.defineCommand("tollgateAdmit", { lua: ADMIT_SCRIPT });
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

  async admit(checks: readonly ThrottleCheck[], now: number): Promise<ThrottleDecision> {
    if (checks.length === 0) return { allowed: true };
    const keys = checks.map((c) => `${this.prefix}:tb:${c.level}|${c.scope}`);
    const args = checks.flatMap((c) => [c.rule.burstLimit, c.rule.rateLimit]);
    if (this.firstConnect) await this.firstConnect;
    let reply: AdmitReply;
    try {
      reply = await this.redis.tollgateAdmit(keys.length, ...keys, ...args);
    } catch (err) {
      this.noteOutage(err as Error);
      this.outageDecisions++;
      if (this.policy === "local") return this.fallback.admit(checks, now);
      return { allowed: false, level: checks[0]!.level, retryAfterMs: 1000 };
    }
    if (reply === 0) return { allowed: true };
    const [index, wait] = reply;
    return { allowed: false, level: checks[index - 1]!.level, retryAfterMs: wait < 0 ? Infinity : wait };
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
