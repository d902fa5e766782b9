// Authorizer result caching (data-plane.md §5.3.4): outputs keyed on (API, stage, authorizer, identity values)
// for authorizerResultTtlInSeconds. The whole output is cached, not the decision: a cached policy is
// re-evaluated against each method ARN (the `{proxy+}` pitfall). FlushStageAuthorizersCache empties a stage.
import type { AuthorizerOutput } from "./authorizer-output.js";

/** Bounds memory when identities are unbounded (one entry per distinct token). */
const MAX_ENTRIES = 50_000;
const SEP = "\u0000";

interface Entry {
  readonly output: AuthorizerOutput;
  readonly expires: number;
}

/** The authorizer cache's name among the gateway's services. */
export const AUTHORIZER_CACHE_SERVICE = "authorizerCache";

export class AuthorizerCache {
  private readonly entries = new Map<string, Entry>();

  /** `epoch`: the stage's flush generation (FlushStageAuthorizersCache through any worker or node bumps it). */
  static key(apiId: string, stageName: string, epoch: number, authorizerId: string, identity: readonly string[]): string {
    return [apiId, stageName, String(epoch), authorizerId, ...identity].join(SEP);
  }

  get(key: string, now = Date.now()): AuthorizerOutput | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.output;
  }

  set(key: string, output: AuthorizerOutput, ttlSeconds: number, now = Date.now()): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      // Map iteration order is insertion order: the oldest entry goes first.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { output, expires: now + ttlSeconds * 1000 });
  }

  /** StageScopedCache (stages.ts): FlushStageAuthorizersCache. */
  flush(restApiId: string, stageName: string): void {
    const prefix = restApiId + SEP + stageName + SEP;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
