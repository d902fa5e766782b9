// Chooses the configuration store from the configuration: SQLite in the data dir unless a database URL is set.
import type { Logger } from "pino";
import type { TollgateConfig } from "../config.js";
import type { ConfigStore } from "./config-store.js";
import { PostgresConfigStore } from "./postgres-store.js";
import { SqliteConfigStore } from "./sqlite-store.js";

export async function openConfigStore(config: TollgateConfig, logger?: Logger): Promise<ConfigStore> {
  if (config.databaseUrl !== undefined) return PostgresConfigStore.open(config.databaseUrl, logger);
  return new SqliteConfigStore(config.dataDir);
}
