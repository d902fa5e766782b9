// A function instance in a child process: fork() of runtime-bootstrap.js with the function's environment,
// cwd = task root and `--max-old-space-size` = MemorySize. Killed with SIGKILL; a process that exits or crashes
// takes nothing else down, and one whose gateway died kills itself (the bootstrap's orphan watchdog).
import { fork, type ChildProcess } from "node:child_process";
import type { Logger } from "pino";
import type { InstanceMessage, InvokeMessage } from "./instance-protocol.js";
import { BOOTSTRAP } from "./runtime-entry.js";
import type { Sandbox, SandboxEvents, SandboxExit, SandboxSpec } from "./sandbox.js";

const STDERR_TAIL = 8192;

export class ProcessSandbox implements Sandbox {
  private readonly child: ChildProcess;
  private stderrTail = "";
  private exited = false;

  constructor(spec: SandboxSpec, private readonly events: SandboxEvents, logger: Logger) {
    this.child = fork(BOOTSTRAP, [], {
      cwd: spec.taskRoot,
      env: spec.env,
      execArgv: [`--max-old-space-size=${spec.memorySize}`],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    this.child.stdout?.setEncoding("utf8").on("data", (text: string) => events.output(text));
    this.child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
      events.output(text);
    });
    this.child.on("message", (msg: InstanceMessage) => events.message(msg));
    // 'close' (not 'exit'): stdio is drained by then, so a fatal V8 message on stderr is part of the log.
    this.child.on("close", (code, signal) => this.onExit(code, signal));
    this.child.on("error", (err) => {
      logger.warn({ err, function: spec.functionName }, "function instance process error");
      // A process that could not be spawned never emits 'close'.
      if (this.child.pid === undefined) this.onExit(null, null);
    });
  }

  send(message: InvokeMessage, undeliverable: (end: SandboxExit) => void): void {
    const gone = (): void => undeliverable(this.exitState());
    if (this.exited || !this.child.connected) return gone();
    this.child.send(message, (err) => {
      if (err) gone();
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill("SIGKILL");
  }

  private exitState(): SandboxExit {
    return { code: this.child.exitCode, signal: this.child.signalCode, outOfMemory: /heap out of memory|Reached heap limit/i.test(this.stderrTail) };
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    this.events.exit({ ...this.exitState(), code, signal });
  }
}
