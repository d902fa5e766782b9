// Run-time services shared by the management API and the data plane (function host, caches, limiters).
// Each capability adds its service here; `close()` stops them in reverse order.
import type { Logger } from "pino";
import type { GatewayServices } from "./admin/operation.js";
import type { TollgateConfig } from "./config.js";
import type { ConfigStore } from "./store/config-store.js";
import { LocalFunctionHost } from "./lambda/local-function-host.js";
import { integrationFunctionHost } from "./lambda/integration-function-host.js";
import { AUTHORIZER_CACHE_SERVICE, AuthorizerCache } from "./dataplane/auth/authorizer-cache.js";
import { openResponseCache, STAGE_CACHE_SERVICE } from "./cache/open-response-cache.js";
import { openUsageStore } from "./store/open-usage-store.js";
import { openLimiter } from "./limits/open-limiter.js";
import { createGatewayMetrics } from "./observability/gateway-metrics.js";

export interface ServiceSet {
  readonly services: GatewayServices;
  close(): Promise<void>;
}

export async function createServices(config: TollgateConfig, store: ConfigStore, logger: Logger): Promise<ServiceSet> {
  const services: GatewayServices = {};
  const closers: (() => Promise<void>)[] = [];
  // Usage-plan quota counters and per-key metering (UsageStore; GetUsage/UpdateUsage and the data plane).
  const usage = await openUsageStore(config, logger);
  services["usage"] = usage;
  closers.push(() => usage.close());
  // Lambda functions hosted in worker threads or child processes (Invoke; the data plane's AWS_PROXY/AWS integrations and authorizers).
  const functions = new LocalFunctionHost({ config, store, logger });
  services["functions"] = functions;
  closers.push(() => functions.close());
  // What integrations and authorizers invoke: local functions, then TOLLGATE_LAMBDA_ENDPOINT for the others.
  const integrationFunctions = integrationFunctionHost(config, functions);
  services["integrationFunctions"] = integrationFunctions.host;
  closers.push(() => integrationFunctions.close());
  // Lambda authorizer results; FlushStageAuthorizersCache empties a stage's entries.
  services[AUTHORIZER_CACHE_SERVICE] = new AuthorizerCache();
  // Throttling buckets (Limiter): in process, or shared through Redis (TOLLGATE_REDIS_URL); chosen in open-limiter.ts.
  const limiter = await openLimiter(config, logger);
  services["limiter"] = limiter;
  closers.push(() => limiter.close());
  // The stage cache (cached method responses): in process, or shared through Redis; FlushStageCache empties a stage.
  const responseCache = openResponseCache(config, logger);
  services[STAGE_CACHE_SERVICE] = responseCache;
  closers.push(() => responseCache.close());
  // Prometheus metrics served unsigned on the management listener (GET /metrics).
  services["metrics"] = createGatewayMetrics({ limiterOutageDecisions: limiter.outageDecisions, cacheStats: () => responseCache.stats });
  return {
    services,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
