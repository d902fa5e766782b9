// Messages between the gateway and a function instance (runtime-bootstrap.js in a worker thread or a child
// process, sandbox.ts) over its parentPort or IPC channel. Log output travels on the same channel as results so it
// stays in order with them.
import type { ErrorDocument } from "./runtime-errors.js";

export interface InvokeMessage {
  readonly t: "invoke";
  readonly requestId: string;
  /** The event JSON exactly as received (already checked to be JSON). */
  readonly event: string;
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  /** Decoded client context JSON, when the caller sent one. */
  readonly clientContext?: string;
}

export type InstanceMessage =
  | { readonly t: "log"; readonly text: string }
  | { readonly t: "ready" }
  | { readonly t: "init-error"; readonly error: ErrorDocument }
  | { readonly t: "done"; readonly requestId: string; readonly ok: true; readonly payload: string; readonly rss: number }
  | {
      readonly t: "done";
      readonly requestId: string;
      readonly ok: false;
      readonly error: ErrorDocument;
      readonly rss: number;
      /** The instance is about to exit (uncaught exception): it must not be reused. */
      readonly fatal: boolean;
    };
