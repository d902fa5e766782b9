// Where a function instance runs: an isolated execution environment that loads runtime-bootstrap.js for one
// function generation and exchanges instance-protocol messages with the gateway. Two kinds exist (config
// TOLLGATE_LAMBDA_ISOLATION): a worker thread of the gateway process (the default: an order of magnitude cheaper
// per round trip) and a child process (full process isolation, cwd = task root). function-instance.ts drives
// either through this interface and does not know which one it has.
import type { InstanceMessage, InvokeMessage } from "./instance-protocol.js";

export type LambdaIsolation = "thread" | "process";

export interface SandboxSpec {
  readonly functionName: string;
  readonly taskRoot: string;
  readonly env: Record<string, string>;
  /** MemorySize in MB: the heap limit of the environment. */
  readonly memorySize: number;
}

/** How an environment ended. */
export interface SandboxExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly outOfMemory: boolean;
}

export interface SandboxEvents {
  message(msg: InstanceMessage): void;
  /** Console output the runtime did not route through the protocol (writes below `console`). */
  output(text: string): void;
  /** Called once, after the environment's last message and output have been delivered. */
  exit(end: SandboxExit): void;
}

export interface Sandbox {
  /** Delivers an invocation; `undeliverable` runs (at most once) when the environment is already gone. */
  send(message: InvokeMessage, undeliverable: (end: SandboxExit) => void): void;
  /** Stops the environment now, even inside a synchronous loop; `exit` follows. */
  kill(): void;
}

export type SandboxFactory = (spec: SandboxSpec, events: SandboxEvents) => Sandbox;
