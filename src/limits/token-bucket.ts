// A token bucket as API Gateway throttles with it (data-plane.md §7.1): capacity = burstLimit, refilled at
// rateLimit tokens per second (a float), full at creation; each admitted request takes one token.
// Time is passed in by the caller (milliseconds, any monotonic origin) so the bucket is pure and testable.

export interface ThrottleRule {
  readonly burstLimit: number;
  readonly rateLimit: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private burstLimit: number,
    private rateLimit: number,
    now: number,
  ) {
    this.tokens = Math.max(0, burstLimit);
    this.last = now;
  }

  /** Tokens available at `now` (fractional while refilling). */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Takes one token if there is a whole one; false means the request is throttled. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket is back to capacity, i.e. indistinguishable from a fresh one (safe to evict). */
  isFull(now: number): boolean {
    return this.available(now) >= this.burstLimit;
  }

  /** Applies changed limits without resetting: tokens are kept, capped at the new capacity. */
  reconfigure(rule: ThrottleRule, now: number): void {
    if (rule.burstLimit === this.burstLimit && rule.rateLimit === this.rateLimit) return;
    this.refill(now);
    this.burstLimit = Math.max(0, rule.burstLimit);
    this.rateLimit = rule.rateLimit;
    this.tokens = Math.min(this.tokens, this.burstLimit);
  }

  /** Milliseconds until one token is available (0 when one is); Infinity when the rate is 0 or burst < 1. */
  msUntilToken(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    if (this.rateLimit <= 0 || this.burstLimit < 1) return Infinity;
    return ((1 - this.tokens) / this.rateLimit) * 1000;
  }

  private refill(now: number): void {
    const elapsed = now - this.last;
    // A clock that steps backwards must not drain the bucket; just move the reference point.
    if (elapsed > 0 && this.rateLimit > 0) {
      this.tokens = Math.min(this.burstLimit, this.tokens + (elapsed / 1000) * this.rateLimit);
    }
    this.last = now;
  }
}
