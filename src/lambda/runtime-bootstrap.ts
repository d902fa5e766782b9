// Entry point of a function instance, in either kind of sandbox (sandbox.ts): a worker thread (process.env = the
// function's environment, heap limit = MemorySize) or a child process (also cwd = task root). It plays the part
// of AWS's Node.js runtime interface client (aws-lambda-nodejs-runtime-interface-client, src/*.js): loads the
// handler once (init errors as Runtime.*), then runs one invocation at a time with the context object and
// completion rules of lambda-contract.md §1.3.
//
// "Wait for an empty event loop" is implemented for real: while an invocation runs, the channel to the gateway (the
// thread's parentPort or the process's IPC channel) is unref'd, so 'beforeExit' fires exactly when the handler's
// own work (timers, sockets, promises tied to I/O) has drained.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { getHeapStatistics } from "node:v8";
import { Worker, isMainThread, parentPort, type MessagePort } from "node:worker_threads";
import type { InstanceMessage, InvokeMessage } from "./instance-protocol.js";
import type { ErrorDocument } from "./runtime-errors.js";

type Handler = (event: unknown, context: LambdaContext, callback: (err?: unknown, result?: unknown) => void) => unknown;

interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly identity: undefined;
  readonly clientContext: unknown;
  getRemainingTimeInMillis(): number;
  done(err?: unknown, result?: unknown): void;
  succeed(result?: unknown): void;
  fail(err?: unknown): void;
}

interface Running {
  readonly requestId: string;
  finished: boolean;
  callbackCalled: boolean;
  /** callback(null, v) with callbackWaitsForEmptyEventLoop: the result waits for 'beforeExit'. */
  pending?: { value: unknown };
  /** The handler returned a promise that has not settled yet. */
  promisePending: boolean;
}

const env = process.env;
const TASK_ROOT = env["LAMBDA_TASK_ROOT"] ?? process.cwd();
let current: Running | undefined;

/** The way to the gateway: the same protocol over a thread's parentPort or a process's IPC channel. */
interface Channel {
  /** Sends a message; `then` runs once it has left this instance (before an exit, say). */
  post(message: InstanceMessage, then?: () => void): void;
  onInvoke(listener: (msg: InvokeMessage) => void): void;
  /** Whether the channel alone keeps the instance alive (it must not while an invocation runs). */
  hold(held: boolean): void;
  /** Peak memory in bytes so far, what REPORT's "Max Memory Used" means. */
  peakMemory(): number;
}

function threadChannel(port: MessagePort): Channel {
  let peak = 0;
  return {
    // postMessage has queued the message on the gateway's side when it returns; it arrives before the exit event.
    post: (message, then) => {
      port.postMessage(message);
      then?.();
    },
    onInvoke: (listener) => port.on("message", listener),
    hold: (held) => (held ? port.ref() : port.unref()),
    // This isolate's heap and the memory its objects hold outside it: the thread's share of the process.
    peakMemory: () => {
      const heap = getHeapStatistics();
      peak = Math.max(peak, heap.total_physical_size + heap.external_memory);
      return peak;
    },
  };
}

function processChannel(): Channel {
  return {
    post: (message, then) => {
      if (process.send) process.send(message, undefined, {}, () => then?.());
    },
    onInvoke: (listener) => process.on("message", listener),
    hold: (held) => (held ? process.channel?.ref() : process.channel?.unref()),
    // Peak resident memory (getrusage: one system call, where the current RSS reads /proc).
    peakMemory: () => process.resourceUsage().maxRSS * 1024,
  };
}

const channel = !isMainThread && parentPort ? threadChannel(parentPort) : processChannel();
const post = channel.post;
if (!isMainThread) {
  // A thread cannot chdir; the task root is what a function asks for as its working directory.
  process.cwd = () => TASK_ROOT;
}

// --- Logging: console and raw stdout/stderr writes become log text of the current invocation. ---
const LEVELS = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" } as const;
for (const [method, level] of Object.entries(LEVELS)) {
  (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = (...args: unknown[]) => {
    const text = method === "trace" ? format(...args) + "\n" + (new Error().stack ?? "").split("\n").slice(2).join("\n") : format(...args);
    post({ t: "log", text: `${new Date().toISOString()}\t${current?.requestId ?? "undefined"}\t${level}\t${text}\n` });
  };
}
for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    post({ t: "log", text });
    const callback = typeof encoding === "function" ? encoding : cb;
    if (typeof callback === "function") queueMicrotask(() => (callback as () => void)());
    return true;
  }) as typeof stream.write;
}

// --- Error documents (lambda-contract.md §1.5): custom enumerable properties are not included. ---
function errorDocument(err: unknown): ErrorDocument {
  if (err instanceof Error) {
    return { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? "").split("\n") };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

function initError(errorType: string, errorMessage: string, stack?: string): ErrorDocument {
  const trace = [`${errorType}: ${errorMessage}`, ...(stack ? stack.split("\n").slice(1) : [])];
  return { errorType, errorMessage, trace };
}

// --- Handler loading (RIC UserFunction.js): `dir/module.path.to.fn`, extensions .js, .mjs, .cjs. ---
class InitFailure extends Error {
  constructor(readonly doc: ErrorDocument) {
    super(doc.errorMessage);
  }
}

function isEsmPackageScope(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, "utf8")) as { type?: unknown }).type === "module";
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

async function loadModule(file: string): Promise<Record<string, unknown>> {
  const esm = file.endsWith(".mjs") || (file.endsWith(".js") && isEsmPackageScope(file));
  if (esm) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return createRequire(file)(file) as Record<string, unknown>;
}

async function loadHandler(fullHandler: string): Promise<Handler> {
  if (fullHandler.includes("..")) {
    throw new InitFailure(initError("Runtime.MalformedHandlerName", "'../' not allowed in handler name. Relative paths are not supported."));
  }
  const handlerString = basename(fullHandler);
  const moduleRoot = fullHandler.slice(0, fullHandler.length - handlerString.length);
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw new InitFailure(initError("Runtime.MalformedHandlerName", "Bad handler"));
  const [, moduleName, path] = match as unknown as [string, string, string];
  const base = resolve(TASK_ROOT, moduleRoot, moduleName);
  const file = [".js", ".mjs", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) {
    throw new InitFailure(initError("Runtime.ImportModuleError", `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`));
  }
  let mod: Record<string, unknown>;
  try {
    mod = await loadModule(file);
  } catch (err) {
    if (err instanceof SyntaxError) throw new InitFailure(initError("Runtime.UserCodeSyntaxError", `SyntaxError: ${err.message}`, err.stack));
    const code = (err as { code?: unknown } | null)?.code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
      throw new InitFailure(initError("Runtime.ImportModuleError", String(err), (err as Error).stack));
    }
    throw new InitFailure(errorDocument(err));
  }
  let target: unknown = mod;
  for (const key of path.split(".")) {
    target = target !== null && (typeof target === "object" || typeof target === "function") ? (target as Record<string, unknown>)[key] : undefined;
  }
  if (target === undefined) throw new InitFailure(initError("Runtime.HandlerNotFound", `${fullHandler} is undefined or not exported`));
  if (typeof target !== "function") throw new InitFailure(initError("Runtime.HandlerNotFound", `${fullHandler} is not a function`));
  return target as Handler;
}

// --- Completion ---
function finish(run: Running, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }, fatal = false): void {
  if (run.finished) return;
  run.finished = true;
  if (current === run) current = undefined;
  const rss = channel.peakMemory();
  let message: InstanceMessage;
  if (outcome.ok) {
    try {
      message = { t: "done", requestId: run.requestId, ok: true, payload: JSON.stringify(outcome.value === undefined ? null : outcome.value) ?? "null", rss };
    } catch (err) {
      message = { t: "done", requestId: run.requestId, ok: false, error: errorDocument(err), rss, fatal: false };
    }
  } else {
    message = { t: "done", requestId: run.requestId, ok: false, error: errorDocument(outcome.error), rss, fatal };
  }
  post(message, fatal ? () => process.exit(129) : undefined);
  // Idle between invocations: the channel keeps the instance alive until the next invoke arrives.
  channel.hold(true);
}

process.on("beforeExit", () => {
  const run = current;
  if (!run) return;
  if (run.pending) finish(run, { ok: true, value: run.pending.value });
  else if (run.promisePending) {
    finish(run, {
      ok: false,
      error: Object.assign(
        new Error(
          "The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes",
        ),
        { name: "Runtime.NodeJsExit" },
      ),
    });
  } else finish(run, { ok: true, value: null });
});

function failFatally(err: unknown, errorType?: string): void {
  const run = current;
  if (run) {
    const error = errorType ? Object.assign(err instanceof Error ? err : new Error(String(err)), { name: errorType }) : err;
    finish(run, { ok: false, error }, true);
  } else {
    console.error(err);
    post({ t: "log", text: "" }, () => process.exit(129));
  }
}
process.on("uncaughtException", (err) => failFatally(err));
process.on("unhandledRejection", (reason) => failFatally(reason, "Runtime.UnhandledPromiseRejection"));

/**
 * A handler stuck in a synchronous loop never sees 'disconnect'. If the gateway dies without stopping its instances
 * (SIGKILL, a crash), this watchdog — a thread of its own, unaffected by the main thread's loop — notices that the
 * process was re-parented and kills it. Unref'd, so it does not keep the event loop alive.
 */
function startOrphanWatchdog(): void {
  const source = `const ppid = ${process.ppid};
setInterval(() => { if (process.ppid !== ppid) process.kill(${process.pid}, "SIGKILL"); }, 500);`;
  new Worker(source, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } }).unref();
}
if (isMainThread) {
  // The gateway went away: nothing can reach this instance any more.
  process.on("disconnect", () => process.exit(0));
  startOrphanWatchdog();
}

function runInvocation(handler: Handler, msg: InvokeMessage): void {
  const run: Running = { requestId: msg.requestId, finished: false, callbackCalled: false, promisePending: false };
  current = run;
  channel.hold(false);
  const context: LambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env["AWS_LAMBDA_FUNCTION_NAME"] ?? "",
    functionVersion: env["AWS_LAMBDA_FUNCTION_VERSION"] ?? "$LATEST",
    invokedFunctionArn: msg.invokedFunctionArn,
    memoryLimitInMB: env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "128",
    awsRequestId: msg.requestId,
    logGroupName: env["AWS_LAMBDA_LOG_GROUP_NAME"] ?? "",
    logStreamName: env["AWS_LAMBDA_LOG_STREAM_NAME"] ?? "",
    identity: undefined,
    clientContext: msg.clientContext !== undefined ? JSON.parse(msg.clientContext) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadlineMs - Date.now()),
    // Legacy completion functions never wait for the event loop (RIC CallbackContext.js).
    done: (err, result) => {
      if (run.callbackCalled) return;
      run.callbackCalled = true;
      if (err !== undefined && err !== null) finish(run, { ok: false, error: err });
      else finish(run, { ok: true, value: result });
    },
    succeed: (result) => context.done(null, result),
    fail: (err) => context.done(err ?? "handled"),
  };
  const callback = (err?: unknown, result?: unknown): void => {
    if (run.callbackCalled) return;
    run.callbackCalled = true;
    if (err !== undefined && err !== null) finish(run, { ok: false, error: err });
    else if (context.callbackWaitsForEmptyEventLoop) run.pending = { value: result };
    else finish(run, { ok: true, value: result });
  };
  let event: unknown;
  try {
    event = JSON.parse(msg.event);
    const returned = handler(event, context, callback);
    if (returned !== null && typeof returned === "object" && typeof (returned as Promise<unknown>).then === "function") {
      run.promisePending = true;
      (returned as Promise<unknown>).then(
        (value) => {
          run.promisePending = false;
          if (!run.callbackCalled) {
            run.callbackCalled = true;
            finish(run, { ok: true, value });
          }
        },
        (err: unknown) => {
          run.promisePending = false;
          if (!run.callbackCalled) {
            run.callbackCalled = true;
            finish(run, { ok: false, error: err });
          }
        },
      );
    }
  } catch (err) {
    if (!run.callbackCalled) {
      run.callbackCalled = true;
      finish(run, { ok: false, error: err });
    }
  }
}

async function main(): Promise<void> {
  let handler: Handler;
  try {
    handler = await loadHandler(env["_HANDLER"] ?? "index.handler");
  } catch (err) {
    const doc = err instanceof InitFailure ? err.doc : errorDocument(err);
    post({ t: "init-error", error: doc }, () => process.exit(1));
    return;
  }
  channel.onInvoke((msg) => {
    if (msg.t === "invoke") runInvocation(handler, msg);
  });
  post({ t: "ready" });
}

void main();
