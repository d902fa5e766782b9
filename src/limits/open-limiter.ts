// Chooses the throttling limiter from the configuration, as open-usage-store.ts chooses the usage store: the one
// place that decides. Without TOLLGATE_REDIS_URL every gateway process keeps its own token buckets
// (LocalLimiter); with it, buckets live in Redis (redis-limiter.ts, same Limiter contract) and every worker and
// node of the deployment shares them. Redis keys carry a per-deployment prefix derived from what the nodes
// already share — the PostgreSQL database, or the data dir for the workers of one `tollgate serve` — so two
// deployments (or two test runs) pointing at the same Redis database never share a bucket.
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { TollgateConfig } from "../config.js";
import { LocalLimiter, type Limiter } from "./local-limiter.js";
import { RedisLimiter } from "./redis-limiter.js";

export interface OpenLimiter extends Limiter {
  readonly kind: "local" | "redis";
  /** Decisions the Redis outage policy took while Redis was unreachable (always 0 for the local limiter). */
  outageDecisions(): number;
  close(): Promise<void>;
}

/**
 * The identity the nodes of one deployment share: the database URL without its password (nodes may hold
 * different secrets for one database), else the data dir. Hashed so keys say nothing about the database.
 */
export function limiterKeyPrefix(config: Pick<TollgateConfig, "databaseUrl" | "dataDir">): string {
  let identity: string;
  if (config.databaseUrl !== undefined) {
    const url = new URL(config.databaseUrl);
    url.password = "";
    identity = `pg ${url.toString()}`;
  } else {
    identity = `dir ${config.dataDir}`;
  }
  return `tollgate:${createHash("sha256").update(identity).digest("hex").slice(0, 16)}`;
}

export async function openLimiter(config: TollgateConfig, logger?: Logger): Promise<OpenLimiter> {
  if (config.redisUrl === undefined) {
    const local = new LocalLimiter();
    return {
      kind: "local",
      admit: (checks, now) => local.admit(checks, now),
      outageDecisions: () => 0,
      close: async () => {},
    };
  }
  const redis = new RedisLimiter({
    url: config.redisUrl,
    prefix: limiterKeyPrefix(config),
    onOutage: config.redisOutage,
    ...(logger ? { logger: logger.child({ component: "limiter" }) } : {}),
  });
  return {
    kind: "redis",
    admit: (checks, now) => redis.admit(checks, now),
    outageDecisions: () => redis.outageDecisions,
    close: () => redis.close(),
  };
}

/** Type guard for `services["limiter"]`, which the data plane receives untyped. */
export function isLimiter(value: unknown): value is Limiter {
  return value !== null && typeof value === "object" && typeof (value as Record<string, unknown>)["admit"] === "function";
}
