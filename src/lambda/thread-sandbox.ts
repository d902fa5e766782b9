// A function instance in a worker thread of the gateway process: its own V8 isolate, module cache, globals and
// process.env, heap bounded by MemorySize (resourceLimits), stopped with worker.terminate(), which interrupts even a
// synchronous loop. An uncaught error, process.exit() or an exhausted heap ends that thread only.
// What a thread cannot give (documented in the README): the working directory is the gateway's (process.cwd()
// reports the task root, but relative file paths resolve against the real cwd), and a native crash or
// process.kill(process.pid) would take the gateway with it; TOLLGATE_LAMBDA_ISOLATION=process covers both.
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { InstanceMessage, InvokeMessage } from "./instance-protocol.js";
import { BOOTSTRAP } from "./runtime-entry.js";
import type { Sandbox, SandboxEvents, SandboxExit, SandboxSpec } from "./sandbox.js";

export class ThreadSandbox implements Sandbox {
  private readonly worker: Worker;
  private exited = false;
  private killed = false;
  private outOfMemory = false;

  constructor(spec: SandboxSpec, private readonly events: SandboxEvents, logger: Logger) {
    this.worker = new Worker(BOOTSTRAP, {
      env: spec.env,
      argv: [],
      execArgv: [],
      stdin: false,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: spec.memorySize },
    });
    this.worker.stdout.setEncoding("utf8").on("data", (text: string) => events.output(text));
    this.worker.stderr.setEncoding("utf8").on("data", (text: string) => events.output(text));
    this.worker.on("message", (msg: InstanceMessage) => events.message(msg));
    this.worker.on("error", (err: Error & { code?: string }) => {
      if (err.code === "ERR_WORKER_OUT_OF_MEMORY") this.outOfMemory = true;
      else logger.warn({ err, function: spec.functionName }, "function instance thread error");
    });
    // Output the thread wrote just before it ended is still in flight on its stdio streams: deliver it first.
    this.worker.on("exit", (code) => setImmediate(() => this.onExit(code)));
  }

  send(message: InvokeMessage, undeliverable: (end: SandboxExit) => void): void {
    if (this.exited || this.killed) return undeliverable(this.exitState(null));
    this.worker.postMessage(message);
  }

  kill(): void {
    if (this.exited || this.killed) return;
    this.killed = true;
    void this.worker.terminate();
  }

  /** Reported as Lambda reports a process it stops: an exhausted heap or a kill is "signal: killed". */
  private exitState(code: number | null): SandboxExit {
    if (this.outOfMemory || this.killed) return { code: null, signal: "SIGKILL", outOfMemory: this.outOfMemory };
    return { code, signal: null, outOfMemory: false };
  }

  private onExit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.events.exit(this.exitState(code));
  }
}
