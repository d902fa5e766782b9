// Chooses the stage cache's storage from the configuration, as open-limiter.ts chooses the limiter: in process
// without TOLLGATE_REDIS_URL (each worker its own), in Redis with it (shared by every worker and node).
import type { Logger } from "pino";
import type { TollgateConfig } from "../config.js";
import { limiterKeyPrefix } from "../limits/open-limiter.js";
import { RedisResponseCache } from "./redis-response-cache.js";
import { MemoryResponseCache, type ResponseCache } from "./response-cache.js";

/** The stage cache's name among the gateway's services (`ctx.services`, the data plane's compile services). */
export const STAGE_CACHE_SERVICE = "stageCache";

export function openResponseCache(config: TollgateConfig, logger?: Logger): ResponseCache {
  if (config.redisUrl === undefined) return new MemoryResponseCache();
  return new RedisResponseCache({ url: config.redisUrl, prefix: limiterKeyPrefix(config), ...(logger ? { logger: logger.child({ component: "stage-cache" }) } : {}) });
}

/** Type guard for the service the data plane receives untyped. */
export function isResponseCache(value: unknown): value is ResponseCache {
  if (value === null || typeof value !== "object") return false;
  const candidate = value as Partial<ResponseCache>;
  return typeof candidate.get === "function" && typeof candidate.set === "function" && typeof candidate.flush === "function";
}
