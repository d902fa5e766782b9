// The `tollgate` command: `serve`, `--help`, `--version`.
import { readFileSync } from "node:fs";
import { ConfigError, helpText, loadConfig } from "./config.js";
import { startGateway } from "./server.js";

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
  let gateway;
  try {
    gateway = await startGateway(config, { announce: (text) => console.error(text) });
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
  return undefined;
}
