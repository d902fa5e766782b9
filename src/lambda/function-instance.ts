// One execution environment: a sandbox (worker thread or child process, sandbox.ts) running runtime-bootstrap.js
// for one function generation. It runs one invocation at a time; the gateway enforces the timeout by killing the
// sandbox, so a handler stuck in a synchronous loop is stopped for real. A sandbox that exits or crashes takes
// nothing else down.
import type { InstanceMessage, InvokeMessage } from "./instance-protocol.js";
import { InvocationLog } from "./invocation-log.js";
import { runtimeExited, timedOut, type ErrorDocument } from "./runtime-errors.js";
import type { Sandbox, SandboxExit, SandboxFactory, SandboxSpec } from "./sandbox.js";

/** AWS gives the init phase (module load, top-level await) 10 s of its own. */
const INIT_TIMEOUT_MS = 10_000;
/** Output kept from outside an invocation (init, background work) for the next invocation's log. */
const PREAMBLE_TAIL = 8192;

export interface InstanceSpec extends SandboxSpec {
  readonly version: string;
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
  private readonly sandbox: Sandbox;
  private readonly init: Promise<InitResult>;
  private resolveInit!: (result: InitResult) => void;
  /** The init outcome once known. */
  private initResult: InitResult | undefined;
  private readonly spawnedAt = performance.now();
  private initMs: number | undefined;
  private initReported = false;
  /** Output produced outside an invocation (init, background work after a response): opens the next log. */
  private preamble = "";
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
    sandboxFactory: SandboxFactory,
  ) {
    this.init = new Promise((resolve) => (this.resolveInit = resolve));
    void this.init.then((result) => (this.initResult = result));
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    this.sandbox = sandboxFactory(spec, {
      message: (msg) => this.onMessage(msg),
      output: (text) => this.output(text),
      exit: (end) => {
        this.onExit(end);
        markClosed();
      },
    });
  }

  get dead(): boolean {
    return this.exited || this.unusable;
  }

  /** Called once when the sandbox has gone (crash, fatal error, kill); the pool forgets the instance. */
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
      // The sandbox may have ended between being picked and being sent the event.
      this.sandbox.send(message, (end) => {
        this.unusable = true;
        this.complete({ functionError: true, payload: JSON.stringify(runtimeExited(req.requestId, end.code, end.signal, false)) }, this.lastRssMb, "error");
      });
    });
  }

  kill(): void {
    this.unusable = true;
    if (!this.exited) this.sandbox.kill();
  }

  /** Resolves once the sandbox has ended and its output is drained. */
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
    else this.preamble = (this.preamble + text).slice(-PREAMBLE_TAIL);
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

  private onExit({ code, signal, outOfMemory }: SandboxExit): void {
    this.exited = true;
    this.resolveInit({ ok: false, error: (requestId) => runtimeExited(requestId, code, signal, outOfMemory) });
    const active = this.active;
    if (active) {
      const doc = runtimeExited(active.requestId, code, signal, outOfMemory);
      this.complete({ functionError: true, payload: JSON.stringify(doc) }, outOfMemory ? this.spec.memorySize : this.lastRssMb, "error");
    }
    this.exitListener?.();
  }
}
