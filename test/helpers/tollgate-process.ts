// Runs `node bin/tollgate.js serve` as a child process on ports picked by the test, for what an in-process
// gateway cannot show: node:cluster workers, and nodes killed with SIGKILL. Its JSON log lines are collected.
import { spawn, type ChildProcess } from "node:child_process";
import https from "node:https";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { TEST_CREDENTIALS } from "./gateway.js";

const BIN = resolve(import.meta.dirname, "../../../bin/tollgate.js");

/** A port that was free a moment ago: bound to 0, read, released. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export type LogLine = Record<string, unknown> & { msg?: string; pid?: number };

export interface TollgateProcess {
  readonly child: ChildProcess;
  readonly adminPort: number;
  readonly dataPort: number;
  readonly adminUrl: string;
  /** Parsed stdout JSON lines so far. */
  readonly lines: LogLine[];
  readonly stderr: () => string;
  /** Resolves with the first line (already seen or future) matching `predicate`. */
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM (or `signal`), then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a gateway on two ports that were free a moment ago. Another process can take such a port before the
 * gateway binds it (tests run in parallel); that start is retried on fresh ports.
 */
export async function spawnTollgate(env: Record<string, string>, readyMessage = "HTTPS data plane listening"): Promise<TollgateProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(env, readyMessage, await freePort(), await freePort());
    } catch (err) {
      if (attempt >= 4 || !(err instanceof Error) || !err.message.includes("EADDRINUSE")) throw err;
    }
  }
}

async function spawnOnce(env: Record<string, string>, readyMessage: string, adminPort: number, dataPort: number): Promise<TollgateProcess> {
  const child = spawn(process.execPath, [BIN, "serve"], {
    env: {
      PATH: process.env["PATH"] ?? "",
      TOLLGATE_ADMIN_PORT: String(adminPort),
      TOLLGATE_PORT: String(dataPort),
      TOLLGATE_HOST: "127.0.0.1",
      TOLLGATE_ADMIN_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      TOLLGATE_ADMIN_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      TOLLGATE_LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = "";
  let partial = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  child.stdout!.on("data", (c: Buffer) => {
    partial += c.toString("utf8");
    const parts = partial.split("\n");
    partial = parts.pop()!;
    for (const text of parts) {
      if (!text.startsWith("{")) continue;
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.predicate(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const waitForLine = (predicate: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> => {
    const seen = lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      waiters.push({
        predicate,
        resolve: (line) => {
          clearTimeout(timer);
          res(line);
        },
      });
      void exited.then((code) => rej(new Error(`tollgate exited (${code}) before the expected log line; stderr: ${stderr}`)));
    });
  };
  const proc: TollgateProcess = {
    child,
    adminPort,
    dataPort,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    lines,
    stderr: () => stderr,
    waitForLine,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
  await waitForLine((l) => l.msg === readyMessage);
  return proc;
}

export interface Served {
  readonly status: number;
  readonly body: string;
}

/** One HTTPS GET to a data plane (its certificate is self-signed per data dir, so it is not verified here). */
export function httpsGet(port: number, path: string, headers: Record<string, string> = {}, agent?: https.Agent): Promise<Served> {
  return new Promise((res, rej) => {
    const req = https.request({ host: "127.0.0.1", port, path, method: "GET", headers, agent: agent ?? false, rejectUnauthorized: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => res({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", rej);
    });
    req.on("error", rej);
    // A request the gateway never answers fails the test instead of hanging the suite.
    req.setTimeout(15_000, () => req.destroy(new Error(`no response to GET ${path} on port ${port} within 15 s`)));
    req.end();
  });
}
