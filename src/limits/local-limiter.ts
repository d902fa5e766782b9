// In-process throttling for one gateway process: one token bucket per (level, scope key). The levels are those
// of data-plane.md §7.2 — usage plan per method (API key, plan, method), usage plan (API key, plan), stage per
// method (each method its own bucket; `*/*` is a default, not a shared bucket) and account. A Redis-backed
// limiter implements the same `Limiter` contract for several processes sharing limits.
import { TokenBucket, type ThrottleRule } from "./token-bucket.js";

export type LimitLevel = "account" | "stage-method" | "plan" | "plan-method";

/** One bucket a request must get a token from. */
export interface ThrottleCheck {
  readonly level: LimitLevel;
  /** Scope of the bucket within its level; build it with the `*Scope` helpers below. */
  readonly scope: string;
  readonly rule: ThrottleRule;
}

export type ThrottleDecision = { readonly allowed: true } | { readonly allowed: false; readonly level: LimitLevel; readonly retryAfterMs: number };

export interface Limiter {
  /**
   * Admits a request when every check has a token, and then takes one token from each; otherwise takes none
   * and names the first exhausted level. The local limiter answers synchronously, a remote one with a promise.
   */
  admit(checks: readonly ThrottleCheck[], now: number): ThrottleDecision | Promise<ThrottleDecision>;
}

/** A bucket's name within a limiter: its level and scope (the Redis limiter prefixes it with its namespace). */
export const bucketName = (check: ThrottleCheck): string => `${check.level}|${check.scope}`;

export const accountScope = (): string => "account";
/** `resourcePath` is the resource's path (`/pets/{id}`), `method` the HTTP verb of the matched method. */
export const stageMethodScope = (apiId: string, stage: string, resourcePath: string, method: string): string =>
  `${apiId}/${stage} ${method} ${resourcePath}`;
export const planScope = (usagePlanId: string, keyId: string): string => `${usagePlanId}/${keyId}`;
export const planMethodScope = (usagePlanId: string, keyId: string, apiId: string, stage: string, resourcePath: string, method: string): string =>
  `${usagePlanId}/${keyId} ${apiId}/${stage} ${method} ${resourcePath}`;

export interface LocalLimiterOptions {
  /** Full buckets are dropped after this many admits so idle scopes do not accumulate (default 10,000). */
  readonly sweepEvery?: number;
}

export class LocalLimiter implements Limiter {
  private readonly buckets = new Map<string, TokenBucket>();
  /** Bucket keys of the checks compiled once per method (most of them), so a request builds no key string. */
  private readonly keys = new WeakMap<ThrottleCheck, string>();
  private readonly sweepEvery: number;
  private sinceSweep = 0;

  constructor(options: LocalLimiterOptions = {}) {
    this.sweepEvery = options.sweepEvery ?? 10_000;
  }

  admit(checks: readonly ThrottleCheck[], now: number): ThrottleDecision {
    if (++this.sinceSweep >= this.sweepEvery) this.sweep(now);
    const buckets: TokenBucket[] = [];
    for (const check of checks) {
      const bucket = this.bucket(check, now);
      // Check every level before taking any token, so a request refused at one level costs nothing at others.
      if (bucket.available(now) < 1) return { allowed: false, level: check.level, retryAfterMs: bucket.msUntilToken(now) };
      buckets.push(bucket);
    }
    for (const bucket of buckets) bucket.take(now);
    return { allowed: true };
  }

  /** Number of live buckets (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled to capacity: a full bucket behaves exactly like a new one. */
  sweep(now: number): void {
    this.sinceSweep = 0;
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }

  private bucket(check: ThrottleCheck, now: number): TokenBucket {
    let key = this.keys.get(check);
    if (key === undefined) {
      key = bucketName(check);
      this.keys.set(check, key);
    }
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(check.rule.burstLimit, check.rule.rateLimit, now);
      this.buckets.set(key, bucket);
    } else {
      bucket.reconfigure(check.rule, now);
    }
    return bucket;
  }
}
