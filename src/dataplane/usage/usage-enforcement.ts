// Wires API keys, usage plans and throttling into the data plane: the in-memory key registry, the limiter and
// the usage store become compile services (the phases in usage-phases.ts), and metering runs after each response.
// The limiter is `services["limiter"]` (chosen once, in limits/open-limiter.ts, by createServices); a data plane
// started without one keeps in-process buckets.
import type { Logger } from "pino";
import type { GatewayServices } from "../../admin/operation.js";
import { isLimiter } from "../../limits/open-limiter.js";
import { LocalLimiter, type Limiter } from "../../limits/local-limiter.js";
import type { ConfigStore } from "../../store/config-store.js";
import { isUsageStore } from "../../store/usage-store.js";
import type { Exchange } from "../exchange.js";
import { KeyRegistry } from "./key-registry.js";
import { meterUsage, type UsagePlanServices } from "./usage-phases.js";

export interface UsageEnforcement {
  /** Spread into CompileServices. */
  readonly compileServices: { readonly limiter: Limiter; readonly usagePlans: UsagePlanServices };
  readonly keys: KeyRegistry;
  /** Runs once per request after the response is complete (before the access-log line). */
  afterResponse(ex: Exchange): void;
  stop(): void;
}

export async function startUsageEnforcement(store: ConfigStore, services: GatewayServices | undefined, logger: Logger): Promise<UsageEnforcement> {
  const keys = new KeyRegistry(store, logger);
  await keys.start();
  const limiterService = services?.["limiter"];
  const limiter = isLimiter(limiterService) ? limiterService : new LocalLimiter();
  const usageService = services?.["usage"];
  const usage = isUsageStore(usageService) ? usageService : undefined;
  return {
    compileServices: { limiter, usagePlans: { keys, store: usage } },
    keys,
    afterResponse: usage ? (ex) => meterUsage(ex, usage, logger) : () => {},
    stop: () => keys.stop(),
  };
}
