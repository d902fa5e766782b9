// The `tollgate` command: `serve`, `usage export`, `--help`, `--version`.
import { readFileSync } from "node:fs";
import cluster from "node:cluster";
import { ConfigError, helpText, loadConfig, type TollgateConfig } from "./config.js";
import { runClusterPrimary } from "./cluster/cluster-primary.js";
import { WORKER_READY, type WorkerReady } from "./cluster/worker-messages.js";
import { startGateway } from "./server.js";
import { runUsageCommand } from "./billing/usage-command.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(helpText());
    return 0;
  }
  if (command === "--version" || command === "-v") {
    console.log(version());
    return 0;
  }
  if (command === "usage") return runUsageCommand(rest, process.env, (text) => process.stdout.write(text));
  if (command !== "serve") {
    console.error(`tollgate: unknown command '${command}' (see tollgate --help)`);
    return 2;
  }
  if (rest.includes("--help")) {
    console.log(helpText());
    return 0;
  }
  let config;
  try {
    config = loadConfig(rest, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`tollgate: invalid configuration: ${err.message}`);
      return 2;
    }
    throw err;
  }
  // TOLLGATE_WORKERS > 1: this process becomes the cluster primary; each worker runs this same command.
  if (config.workers > 1 && cluster.isPrimary) return runClusterPrimary(config, (text) => console.error(text));
  if (!cluster.isWorker) return serve(config);
  // A worker's IPC channel keeps it alive, so a worker that could not start must exit explicitly.
  const code = await serve(config).catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    return 1;
  });
  if (code !== undefined) process.exit(code);
  return undefined;
}

async function serve(config: TollgateConfig): Promise<number | undefined> {
  let gateway;
  try {
    // In a cluster the primary prints generated credentials, once.
    gateway = await startGateway(config, cluster.isWorker ? {} : { announce: (text) => console.error(text) });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`tollgate: invalid configuration: ${err.message}`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      console.error(`tollgate: cannot listen: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
  const shutdown = (signal: string): void => {
    gateway.logger.info({ signal }, "shutting down");
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  if (cluster.isWorker) process.send!({ type: WORKER_READY, adminUrl: gateway.adminUrl, dataPort: gateway.dataPort } satisfies WorkerReady);
  return undefined;
}
