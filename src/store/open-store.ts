// Chooses the configuration store from the configuration: SQLite in the data dir unless a database URL is set.
import type { TollgateConfig } from "../config.js";
import { ConfigError, SETTINGS } from "../config.js";
import type { ConfigStore } from "./config-store.js";
import { SqliteConfigStore } from "./sqlite-store.js";

export async function openConfigStore(config: TollgateConfig): Promise<ConfigStore> {
  if (config.databaseUrl !== undefined) {
    throw new ConfigError(SETTINGS.databaseUrl.env, "the PostgreSQL store is not available in this build; unset it to use SQLite");
  }
  return new SqliteConfigStore(config.dataDir);
}
