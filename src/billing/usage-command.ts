// `tollgate usage export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [serve's options]`: opens the configuration and
// usage stores the way `serve` would (same TOLLGATE_* variables and flags) and prints the metering CSV. The range
// defaults to the current UTC month up to today. It may run beside a serving gateway: both SQLite stores allow
// other processes (a gateway's queued metering writes are committed within one event-loop turn).
import { ConfigError, loadConfig } from "../config.js";
import { openConfigStore } from "../store/open-store.js";
import { openUsageStore } from "../store/open-usage-store.js";
import { exportUsageCsv, isDay } from "./usage-export.js";

const USAGE = "usage: tollgate usage export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--data-dir DIR | other serve options]";

export async function runUsageCommand(args: readonly string[], env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "export") {
    console.error(USAGE);
    return 2;
  }
  const today = new Date().toISOString().slice(0, 10);
  let from = `${today.slice(0, 7)}-01`;
  let to = today;
  const configArgs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (name !== "--from" && name !== "--to") {
      configArgs.push(arg);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || !isDay(value)) {
      console.error(`tollgate: ${name} needs a date YYYY-MM-DD`);
      return 2;
    }
    if (name === "--from") from = value;
    else to = value;
  }
  if (from > to) {
    console.error("tollgate: --from is after --to");
    return 2;
  }
  let config;
  try {
    config = loadConfig(configArgs, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`tollgate: invalid configuration: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const store = await openConfigStore(config);
  try {
    const usage = await openUsageStore(config);
    try {
      write(await exportUsageCsv(usage, store.reader, from, to));
    } finally {
      await usage.close();
    }
  } finally {
    await store.close();
  }
  return 0;
}
