// Chooses the usage store from the configuration, as open-store.ts chooses the configuration store: SQLite in
// the data dir, or PostgreSQL when a database URL is set (nodes sharing the database share the counters).
import type { Logger } from "pino";
import type { TollgateConfig } from "../config.js";
import { GroupCommitUsageStore } from "./group-commit-usage-store.js";
import { PostgresUsageStore } from "./postgres-usage-store.js";
import { openSqliteUsageStore } from "./sqlite-usage-store.js";
import type { UsageStore } from "./usage-store.js";

export async function openUsageStore(config: TollgateConfig, logger?: Logger): Promise<UsageStore> {
  if (config.databaseUrl !== undefined) return PostgresUsageStore.open(config.databaseUrl, logger);
  // Group commit: the data plane's quota and metering writes of one event-loop turn share one transaction.
  return new GroupCommitUsageStore(openSqliteUsageStore(config.dataDir));
}
