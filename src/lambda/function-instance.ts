// One execution environment: a child process running runtime-bootstrap.js for one function generation.
// It runs one invocation at a time; the gateway enforces the timeout by killing the process (SIGKILL), so a
// handler stuck in a synchronous loop is stopped for real. A process that exits or crashes takes nothing else down.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { InstanceMessage, InvokeMessage } from "./instance-protocol.js";
import { InvocationLog } from "./invocation-log.js";
import { runtimeExited, timedOut, type ErrorDocument } from "./runtime-errors.js";

const BOOTSTRAP = fileURLToPath(new URL("./runtime-bootstrap.js", import.meta.url));
/** AWS gives the init phase (module load, top-level await) 10 s of its own. */
const INIT_TIMEOUT_MS = 10_000;
const STDERR_TAIL = 8192;

export interface InstanceSpec {
  readonly functionName: string;
  readonly version: string;
  readonly taskRoot: string;
  readonly env: Record<string, string>;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
}

export interface InvocationRequest {
  readonly requestId: string;
  readonly event: string;
  readonly invokedFunctionArn: string;
  readonly clientContext?: string;
}

export interface InvocationOutcome {
  readonly functionError: boolean;
  /** The result JSON, or the error document JSON. */
  readonly payload: string;
  readonly log: InvocationLog;
}

/** An init failure names the invocation that triggered the cold start, so it is built once that id is known. */
type InitResult = { ok: true } | { ok: false; error: (requestId: string) => ErrorDocument };

interface Active {
  readonly requestId: string;
  readonly log: InvocationLog;
  readonly started: number;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (outcome: InvocationOutcome) => void;
  readonly initMs: number | undefined;
}

export class FunctionInstance {
  private readonly child: ChildProcess;
  private readonly init: Promise<InitResult>;
  private resolveInit!: (result: InitResult) => void;
  /** The init outcome once known. */
  private initResult: InitResult | undefined;
  private readonly spawnedAt = performance.now();
  private initMs: number | undefined;
  private initReported = false;
  /** Output produced outside an invocation (init, background work after a response): opens the next log. */
  private preamble = "";
  private stderrTail = "";
  /** Resident memory the runtime last reported; stands in when it cannot report (killed, crashed). */
  private lastRssMb = 0;
  private active: Active | undefined;
  private exited = false;
  /** Killed or about to exit on its own (fatal error): never handed another invocation. */
  private unusable = false;
  private exitListener: (() => void) | undefined;
  private readonly closed: Promise<void>;

  constructor(
    private readonly spec: InstanceSpec,
    private readonly logger: Logger,
  ) {
    this.init = new Promise((resolve) => (this.resolveInit = resolve));
    void this.init.then((result) => (this.initResult = result));
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    this.child = fork(BOOTSTRAP, [], {
      cwd: spec.taskRoot,
      env: spec.env,
      execArgv: [`--max-old-space-size=${spec.memorySize}`],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    this.child.stdout?.setEncoding("utf8").on("data", (text: string) => this.output(text));
    this.child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      this.output(text);
    });
    this.child.on("message", (msg: InstanceMessage) => this.onMessage(msg));
    // 'close' (not 'exit'): stdio is drained by then, so a fatal V8 message on stderr is part of the log.
    this.child.on("close", (code, signal) => {
      this.onExit(code, signal);
      markClosed();
    });
    this.child.on("error", (err) => {
      this.logger.warn({ err, function: spec.functionName }, "function instance process error");
      // A process that could not be spawned never emits 'close'.
      if (this.child.pid === undefined && !this.exited) {
        this.onExit(null, null);
        markClosed();
      }
    });
  }

  get dead(): boolean {
    return this.exited || this.unusable;
  }

  /** Called once when the process has gone (crash, fatal error, kill); the pool forgets the instance. */
  onGone(listener: () => void): void {
    this.exitListener = listener;
  }

  async invoke(req: InvocationRequest): Promise<InvocationOutcome> {
    const init = await this.awaitInit(req.requestId);
    if (!init.ok) {
      // Lambda discards an environment whose init failed; the next invocation starts a fresh one.
      this.kill();
      const log = new InvocationLog(req.requestId, this.spec.version, this.takePreamble());
      log.close({ durationMs: 0, memorySize: this.spec.memorySize, maxMemoryUsedMb: 0, ...this.takeInitMs(), status: "error" });
      return { functionError: true, payload: JSON.stringify(init.error(req.requestId)), log };
    }
    return new Promise((resolve) => {
      const timeoutMs = this.spec.timeoutSeconds * 1000;
      const log = new InvocationLog(req.requestId, this.spec.version, this.takePreamble());
      const timer = setTimeout(() => this.timeOut(), timeoutMs);
      this.active = { requestId: req.requestId, log, started: performance.now(), timer, resolve, initMs: this.takeInitMs().initMs };
      const message: InvokeMessage = {
        t: "invoke",
        requestId: req.requestId,
        event: req.event,
        deadlineMs: Date.now() + timeoutMs,
        invokedFunctionArn: req.invokedFunctionArn,
        ...(req.clientContext !== undefined ? { clientContext: req.clientContext } : {}),
      };
      // The process may have died between being picked and being sent the event.
      const undeliverable = (): void => {
        this.unusable = true;
        this.complete({ functionError: true, payload: JSON.stringify(runtimeExited(req.requestId, this.child.exitCode, this.child.signalCode, false)) }, this.lastRssMb, "error");
      };
      if (this.exited || !this.child.connected) return undeliverable();
      this.child.send(message, (err) => {
        if (err) undeliverable();
      });
    });
  }

  kill(): void {
    this.unusable = true;
    if (!this.exited) this.child.kill("SIGKILL");
  }

  /** Resolves once the process has exited and its output is drained. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  private async awaitInit(requestId: string): Promise<InitResult> {
    // A warm instance: no init timer to arm (one per invocation showed in the Lambda route's profile).
    if (this.initResult !== undefined) return this.initResult;
    const timer = setTimeout(() => {
      this.resolveInit({ ok: false, error: () => timedOut(requestId, INIT_TIMEOUT_MS / 1000) });
      this.kill();
    }, INIT_TIMEOUT_MS);
    try {
      return await this.init;
    } finally {
      clearTimeout(timer);
    }
  }

  private takeInitMs(): { initMs?: number } {
    if (this.initReported || this.initMs === undefined) return {};
    this.initReported = true;
    return { initMs: this.initMs };
  }

  private takePreamble(): string {
    const text = this.preamble;
    this.preamble = "";
    return text;
  }

  private output(text: string): void {
    if (this.active) this.active.log.append(text);
    else this.preamble = (this.preamble + text).slice(-STDERR_TAIL);
  }

  private onMessage(msg: InstanceMessage): void {
    switch (msg.t) {
      case "log":
        this.output(msg.text);
        return;
      case "ready":
        this.initMs = performance.now() - this.spawnedAt;
        this.resolveInit({ ok: true });
        return;
      case "init-error":
        this.initMs = performance.now() - this.spawnedAt;
        this.resolveInit({ ok: false, error: () => msg.error });
        return;
      case "done": {
        const active = this.active;
        if (!active || active.requestId !== msg.requestId) return;
        this.lastRssMb = Math.ceil(msg.rss / 1_048_576);
        this.complete({ functionError: !msg.ok, payload: msg.ok ? msg.payload : JSON.stringify(msg.error) }, this.lastRssMb);
        if (!msg.ok && msg.fatal) this.unusable = true;
        return;
      }
    }
  }

  private complete(result: { functionError: boolean; payload: string }, maxMemoryUsedMb: number, status?: string): void {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    clearTimeout(active.timer);
    active.log.close({
      durationMs: performance.now() - active.started,
      memorySize: this.spec.memorySize,
      maxMemoryUsedMb,
      ...(active.initMs !== undefined ? { initMs: active.initMs } : {}),
      ...(status !== undefined ? { status } : {}),
    });
    active.resolve({ ...result, log: active.log });
  }

  private timeOut(): void {
    const active = this.active;
    if (!active) return;
    active.log.append(`${new Date().toISOString()} ${active.requestId} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds\n`);
    this.kill();
    this.complete({ functionError: true, payload: JSON.stringify(timedOut(active.requestId, this.spec.timeoutSeconds)) }, this.lastRssMb, "timeout");
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    const outOfMemory = /heap out of memory|Reached heap limit/i.test(this.stderrTail);
    this.resolveInit({ ok: false, error: (requestId) => runtimeExited(requestId, code, signal, outOfMemory) });
    const active = this.active;
    if (active) {
      const doc = runtimeExited(active.requestId, code, signal, outOfMemory);
      this.complete({ functionError: true, payload: JSON.stringify(doc) }, outOfMemory ? this.spec.memorySize : this.lastRssMb, "error");
    }
    this.exitListener?.();
  }
}
