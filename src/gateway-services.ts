// Run-time services shared by the management API and the data plane (function host, caches, limiters).
// Each capability adds its service here; `close()` stops them in reverse order.
import type { Logger } from "pino";
import type { GatewayServices } from "./admin/operation.js";
import type { TollgateConfig } from "./config.js";
import type { ConfigStore } from "./store/config-store.js";

export interface ServiceSet {
  readonly services: GatewayServices;
  close(): Promise<void>;
}

export async function createServices(_config: TollgateConfig, _store: ConfigStore, _logger: Logger): Promise<ServiceSet> {
  const services: GatewayServices = {};
  const closers: (() => Promise<void>)[] = [];
  return {
    services,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
