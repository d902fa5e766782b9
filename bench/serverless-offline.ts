// serverless-offline, the peer issue #4 compares the Lambda route with, run beside Tollgate with the same handler.
// It is installed on first use into node_modules/.cache (serverless@3 + serverless-offline@13, ~280 MB, ~30 s)
// and is never a dependency of Tollgate. It serves plain HTTP (it has no TLS of its own), so the comparison
// favours it. BENCH_SERVERLESS_OFFLINE=0 skips it; without the registry it is reported as not measured.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HANDLER } from "./lambda-proxy-route.js";

export interface ServerlessOffline {
  /** The command that starts it (to run pinned, like the other peers) and its working directory. */
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Installs (once) and prepares serverless-offline on `port`; undefined when it cannot be installed. */
export function prepareServerlessOffline(root: string, port: number, lambdaPort: number): ServerlessOffline | undefined {
  if (process.env["BENCH_SERVERLESS_OFFLINE"] === "0") return undefined;
  const dir = join(root, "node_modules", ".cache", "tollgate-bench", "serverless-offline");
  const bin = join(dir, "node_modules", "serverless", "bin", "serverless.js");
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    process.stdout.write("installing serverless@3 + serverless-offline@13 for the Lambda comparison (once)...\n");
    const npm = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", dir, "serverless@3", "serverless-offline@13"], { encoding: "utf8" });
    if (npm.status !== 0 || !existsSync(bin)) {
      process.stdout.write(`serverless-offline could not be installed; not measured:\n${(npm.stderr ?? "").split("\n").slice(-5).join("\n")}\n`);
      return undefined;
    }
  }
  writeFileSync(join(dir, "handler.js"), HANDLER);
  writeFileSync(
    join(dir, "serverless.yml"),
    `service: tollgate-bench
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: us-east-1
plugins:
  - serverless-offline
custom:
  serverless-offline:
    host: 127.0.0.1
    httpPort: ${port}
    lambdaPort: ${lambdaPort}
    noPrependStageInUrl: true
functions:
  hello:
    handler: handler.handler
    events:
      - http:
          path: hello
          method: get
`,
  );
  return {
    command: [process.execPath, bin, "offline", "start"],
    cwd: dir,
    env: { SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", SLS_DEPRECATION_DISABLE: "*" },
  };
}
